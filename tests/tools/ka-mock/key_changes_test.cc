#include "ka-mock/key_changes.h"

#include <string>

#include "absl/time/time.h"
#include "fake_clock.h"
#include "gtest/gtest.h"
#include "ka-mock/ka_errors.h"
#include "ka-mock/key_administrator.h"
#include "status_macros.h"

namespace ka_mock {
namespace {

class KeyChangesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CreateKeyParams host;
    host.key_type = "PLESK_WEB_HOST";
    host.capacity = 300;
    host.features = {"POWER_PACK"};
    KA_ASSERT_OK(ka_.CreateKey(host).status());  // PLSK.00000001.0001
    CreateKeyParams antivirus;
    antivirus.key_type = "KASPERSKY_ANTIVIRUS";
    antivirus.parent_key_number = "PLSK.00000001";
    KA_ASSERT_OK(ka_.CreateKey(antivirus).status());  // KAV.00000002.0001
  }

  absl::StatusOr<KeyChangeOutcome> Apply(const KeyChange& change) {
    return ApplyKeyChange(store_, clock_, change);
  }

  static KeyChange On(std::string key_number) {
    KeyChange change;
    change.key_number = std::move(key_number);
    return change;
  }

  FeatureId Feature(absl::string_view api_name) const {
    return catalogue_.FindFeature(api_name).value();
  }

  const Catalogue& catalogue_ = Catalogue::Default();
  FakeClock clock_{TestEpoch()};
  KeyStore store_{catalogue_};
  KeyAdministrator ka_{store_, clock_};
};

TEST_F(KeyChangesTest, OnlyRegenerateBumpsTheRevision) {
  KeyChange change = On("PLSK.00000001");
  change.add_features = {"LANGUAGE_PACK"};
  change.remove_features = {"POWER_PACK"};
  change.capacity = 777;
  change.key_type = "PLESK_WEB_PRO";
  change.expire_time = absl::ToUnixSeconds(TestEpoch() + absl::Hours(24 * 30));
  KA_ASSERT_OK_AND_ASSIGN(const KeyChangeOutcome changed, Apply(change));
  ASSERT_TRUE(changed.key.has_value());
  EXPECT_EQ(changed.key->key_number, "PLSK.00000001.0001");
  EXPECT_EQ(changed.key->type->name, "PLESK_WEB_PRO");
  EXPECT_EQ(changed.key->capacity, 777);
  EXPECT_TRUE(changed.key->features.Contains(Feature("LANGUAGE_PACK")));
  EXPECT_FALSE(changed.key->features.Contains(Feature("POWER_PACK")));
  EXPECT_EQ(changed.key->expire_time, *change.expire_time);
  EXPECT_EQ(changed.key->update_due_time, *change.expire_time - 10 * 86400);

  KeyChange regenerate = On("PLSK.00000001.0001");
  regenerate.regenerate = true;
  KA_ASSERT_OK_AND_ASSIGN(const KeyChangeOutcome regenerated,
                          Apply(regenerate));
  ASSERT_TRUE(regenerated.key.has_value());
  EXPECT_EQ(regenerated.key->key_number, "PLSK.00000001.0002");
}

TEST_F(KeyChangesTest, KeyTypeAcrossPrefixesKeepsTheKeyNumber) {
  KeyChange change = On("PLSK.00000001");
  change.key_type = "VIRTUOZZO";
  KA_ASSERT_OK_AND_ASSIGN(const KeyChangeOutcome changed, Apply(change));
  ASSERT_TRUE(changed.key.has_value());
  EXPECT_EQ(changed.key->key_number, "PLSK.00000001.0001");
  EXPECT_EQ(changed.key->type->name, "VIRTUOZZO");
}

TEST_F(KeyChangesTest, RefusesNamesOutsideTheCatalogue) {
  KeyChange type = On("PLSK.00000001");
  type.key_type = "NO_SUCH_TYPE";
  EXPECT_EQ(KaCodeOf(Apply(type).status()), KaCode::kNoPriceListEntry);
  type.key_type = "KASPERSKY_ANTIVIRUS";  // a main key cannot turn additional
  EXPECT_EQ(KaCodeOf(Apply(type).status()), KaCode::kNoPriceListEntry);
  KeyChange feature = On("PLSK.00000001");
  feature.add_features = {"KERNELCARE"};
  EXPECT_EQ(KaCodeOf(Apply(feature).status()), KaCode::kNoPriceListEntry);
  KeyChange attach = On("PLSK.00000001");
  attach.attach_additional_key_type = "VIRTUOZZO";
  EXPECT_EQ(KaCodeOf(Apply(attach).status()), KaCode::kNoPriceListEntry);
}

TEST_F(KeyChangesTest, FeatureAlreadyInThatStateIs110) {
  KeyChange add = On("PLSK.00000001");
  add.add_features = {"POWER_PACK"};
  EXPECT_EQ(KaCodeOf(Apply(add).status()), KaCode::kAlreadyInState);
  KeyChange remove = On("PLSK.00000001");
  remove.remove_features = {"LANGUAGE_PACK"};
  EXPECT_EQ(KaCodeOf(Apply(remove).status()), KaCode::kAlreadyInState);
}

TEST_F(KeyChangesTest, ARefusedChangeLeavesTheKeyAsItWas) {
  KeyChange change = On("PLSK.00000001");
  change.add_features = {"LANGUAGE_PACK"};
  change.regenerate = true;
  change.detach_additional_key = "KAV.00000099";
  EXPECT_EQ(KaCodeOf(Apply(change).status()), KaCode::kKeyNotFound);
  KA_ASSERT_OK_AND_ASSIGN(const KeyView key, ka_.GetKey("PLSK.00000001"));
  EXPECT_EQ(key.key_number, "PLSK.00000001.0001");
  EXPECT_FALSE(key.features.Contains(Feature("LANGUAGE_PACK")));
}

TEST_F(KeyChangesTest, NegativeCapacityIsInvalid) {
  KeyChange change = On("PLSK.00000001");
  change.capacity = -1;
  EXPECT_EQ(Apply(change).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(KeyChangesTest, TerminateAndMarkProblem) {
  KeyChange change = On("PLSK.00000001");
  change.terminate = true;
  change.mark_problem = true;
  KA_ASSERT_OK_AND_ASSIGN(const KeyChangeOutcome changed, Apply(change));
  ASSERT_TRUE(changed.key.has_value());
  EXPECT_TRUE(changed.key->terminated);
  EXPECT_TRUE(changed.key->problem);
  KA_ASSERT_OK_AND_ASSIGN(const KeyView antivirus, ka_.GetKey("KAV.00000002"));
  EXPECT_TRUE(antivirus.terminated);
  KeyChange again = On("PLSK.00000001");
  again.terminate = true;
  EXPECT_EQ(KaCodeOf(Apply(again).status()), KaCode::kAlreadyInState);
}

TEST_F(KeyChangesTest, AttachIssuesAnAdditionalKey) {
  KeyChange change = On("PLSK.00000001");
  change.attach_additional_key_type = "IMUNIFY360";
  KA_ASSERT_OK_AND_ASSIGN(const KeyChangeOutcome changed, Apply(change));
  ASSERT_TRUE(changed.attached_key.has_value());
  ASSERT_TRUE(changed.key.has_value());
  EXPECT_EQ(changed.attached_key->key_number, "EXT.00000003.0001");
  EXPECT_EQ(changed.attached_key->parent_key_number, "PLSK.00000001.0001");
  EXPECT_EQ(changed.attached_key->capacity, 30);
  ASSERT_EQ(changed.key->additional_keys.size(), 2u);
  EXPECT_EQ(changed.key->key_number, "PLSK.00000001.0001");
}

TEST_F(KeyChangesTest, AttachToAnAdditionalKeyIsRefused) {
  KeyChange change = On("KAV.00000002");
  change.attach_additional_key_type = "IMUNIFY360";
  EXPECT_EQ(Apply(change).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(KeyChangesTest, DetachDeletesTheAdditionalKey) {
  KeyChange change = On("PLSK.00000001");
  change.detach_additional_key = "KAV.00000002.0001";
  KA_ASSERT_OK_AND_ASSIGN(const KeyChangeOutcome changed, Apply(change));
  ASSERT_TRUE(changed.key.has_value());
  EXPECT_TRUE(changed.key->additional_keys.empty());
  EXPECT_EQ(KaCodeOf(ka_.GetKey("KAV.00000002").status()),
            KaCode::kKeyNotFound);
}

TEST_F(KeyChangesTest, DetachOfAKeyNotAttachedHereIs220) {
  CreateKeyParams other;
  other.key_type = "CLOUDLINUX";
  KA_ASSERT_OK(ka_.CreateKey(other).status());  // CLN.00000003
  KeyChange change = On("CLN.00000003");
  change.detach_additional_key = "KAV.00000002";
  EXPECT_EQ(KaCodeOf(Apply(change).status()), KaCode::kKeyNotFound);
}

TEST_F(KeyChangesTest, DeleteMakesTheKeyAndItsAdditionalKeysUnknown) {
  KeyChange change = On("PLSK.00000001");
  change.erase = true;
  KA_ASSERT_OK_AND_ASSIGN(const KeyChangeOutcome changed, Apply(change));
  EXPECT_FALSE(changed.key.has_value());
  EXPECT_EQ(KaCodeOf(ka_.GetKey("PLSK.00000001").status()),
            KaCode::kKeyNotFound);
  EXPECT_EQ(KaCodeOf(ka_.GetKey("KAV.00000002").status()),
            KaCode::kKeyNotFound);
  EXPECT_EQ(KaCodeOf(Apply(change).status()), KaCode::kKeyNotFound);
}

TEST_F(KeyChangesTest, DeletingAnAdditionalKeyDetachesIt) {
  KeyChange change = On("KAV.00000002");
  change.erase = true;
  KA_ASSERT_OK(Apply(change).status());
  KA_ASSERT_OK_AND_ASSIGN(const KeyView parent, ka_.GetKey("PLSK.00000001"));
  EXPECT_TRUE(parent.additional_keys.empty());
}

TEST_F(KeyChangesTest, UnknownOrMalformedKey) {
  EXPECT_EQ(KaCodeOf(Apply(On("PLSK.00000077")).status()),
            KaCode::kKeyNotFound);
  EXPECT_EQ(KaCodeOf(Apply(On("nonsense")).status()),
            KaCode::kMalformedKeyNumber);
}

}  // namespace
}  // namespace ka_mock
