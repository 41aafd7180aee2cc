#include "ka-mock/key_administrator.h"

#include <algorithm>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "fake_clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ka-mock/ka_errors.h"
#include "ka-mock/key_changes.h"
#include "ka-mock/lease_term.h"
#include "status_macros.h"

namespace ka_mock {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class KeyAdministratorTest : public ::testing::Test {
 protected:
  const Catalogue& catalogue_ = Catalogue::Default();
  FakeClock clock_{TestEpoch()};
  KeyStore store_{catalogue_};
  KeyAdministrator ka_{store_, clock_};

  int64_t Now() const { return absl::ToUnixSeconds(clock_.Now()); }

  FeatureId Feature(absl::string_view api_name) const {
    return catalogue_.FindFeature(api_name).value();
  }

  absl::StatusOr<KeyView> Create(std::string type, int64_t capacity = 0,
                                 std::vector<std::string> features = {},
                                 std::string idempotency_key = "") {
    CreateKeyParams params;
    params.key_type = std::move(type);
    params.capacity = capacity;
    params.features = std::move(features);
    params.idempotency_key = std::move(idempotency_key);
    return ka_.CreateKey(params);
  }

  absl::StatusOr<KeyView> CreateAdditional(std::string type,
                                           std::string parent) {
    CreateKeyParams params;
    params.key_type = std::move(type);
    params.parent_key_number = std::move(parent);
    return ka_.CreateKey(params);
  }

  absl::StatusOr<UpgradeOutcome> Upgrade(std::string key_number,
                                         int64_t capacity,
                                         std::vector<std::string> features = {},
                                         std::string idempotency_key = "") {
    UpgradeKeyParams params;
    params.key_number = std::move(key_number);
    params.capacity = capacity;
    params.add_features = std::move(features);
    params.idempotency_key = std::move(idempotency_key);
    return ka_.UpgradeKey(params);
  }

  void MarkProblem(const std::string& key_number) {
    KeyChange change;
    change.key_number = key_number;
    change.mark_problem = true;
    ASSERT_TRUE(ApplyKeyChange(store_, clock_, change).ok());
  }

  int64_t KeyCount() {
    int64_t count = 0;
    store_.Read([&](const KeyTable& table) {
      count = static_cast<int64_t>(table.size());
    });
    return count;
  }
};

TEST_F(KeyAdministratorTest, CreateIssuesRevisionOneWithAFreshLease) {
  KA_ASSERT_OK_AND_ASSIGN(
      const KeyView key,
      Create("PLESK_WEB_PRO", 100, {"POWER_PACK", "DEVELOPER_PACK"}));
  EXPECT_EQ(key.key_number, "PLSK.00000001.0001");
  EXPECT_EQ(key.type->name, "PLESK_WEB_PRO");
  EXPECT_EQ(key.capacity, 100);
  EXPECT_TRUE(key.features.Contains(Feature("POWER_PACK")));
  EXPECT_TRUE(key.features.Contains(Feature("DEVELOPER_PACK")));
  EXPECT_FALSE(key.features.Contains(Feature("LANGUAGE_PACK")));
  EXPECT_EQ(key.billing, BillingType::kLease);
  EXPECT_EQ(key.create_time, Now());
  EXPECT_EQ(key.expire_time, OneTermAfter(Now()));
  EXPECT_EQ(key.update_due_time, key.expire_time - 10 * 86400);
  EXPECT_FALSE(key.terminated);
  EXPECT_TRUE(key.parent_key_number.empty());
}

TEST_F(KeyAdministratorTest, CreateWithoutCapacityTakesTheFirstStep) {
  KA_ASSERT_OK_AND_ASSIGN(const KeyView key, Create("VIRTUOZZO"));
  EXPECT_EQ(key.capacity, 5);
}

TEST_F(KeyAdministratorTest, NumbersAreUniqueAcrossPrefixes) {
  KA_ASSERT_OK_AND_ASSIGN(const KeyView plesk, Create("PLESK_WEB_ADMIN"));
  KA_ASSERT_OK_AND_ASSIGN(const KeyView virtuozzo, Create("VIRTUOZZO"));
  KA_ASSERT_OK_AND_ASSIGN(const KeyView cloudlinux, Create("CLOUDLINUX"));
  EXPECT_EQ(plesk.key_number, "PLSK.00000001.0001");
  EXPECT_EQ(virtuozzo.key_number, "VZ.00000002.0001");
  EXPECT_EQ(cloudlinux.key_number, "CLN.00000003.0001");
}

TEST_F(KeyAdministratorTest, CreateRefusesWhatThePriceListLacks) {
  EXPECT_EQ(KaCodeOf(Create("PLESK_ULTIMATE").status()),
            KaCode::kNoPriceListEntry);
  EXPECT_EQ(KaCodeOf(Create("PLESK_WEB_PRO", 0, {"KERNELCARE"}).status()),
            KaCode::kNoPriceListEntry);
  EXPECT_EQ(KaCodeOf(Create("PLESK_WEB_PRO", 0, {"NO_SUCH_FEATURE"}).status()),
            KaCode::kNoPriceListEntry);
  EXPECT_EQ(KaCodeOf(Create("PLESK_WEB_PRO", 50).status()),
            KaCode::kUpgradeNotAcceptable);
  EXPECT_EQ(KaCodeOf(Create("PLESK_WEB_PRO", -30).status()),
            KaCode::kUpgradeNotAcceptable);
  EXPECT_EQ(KeyCount(), 0);
}

TEST_F(KeyAdministratorTest, AdditionalKeyIsAttachedToItsParent) {
  KA_ASSERT_OK_AND_ASSIGN(const KeyView parent, Create("PLESK_WEB_HOST"));
  KA_ASSERT_OK_AND_ASSIGN(
      const KeyView antivirus,
      CreateAdditional("KASPERSKY_ANTIVIRUS", "PLSK.00000001"));
  EXPECT_EQ(antivirus.key_number, "KAV.00000002.0001");
  EXPECT_EQ(antivirus.type->kind, KeyKind::kAdditional);
  EXPECT_EQ(antivirus.parent_key_number, parent.key_number);
  EXPECT_EQ(antivirus.capacity, 10);

  KA_ASSERT_OK_AND_ASSIGN(const KeyView updated, ka_.GetKey(parent.key_number));
  ASSERT_EQ(updated.additional_keys.size(), 1u);
  EXPECT_EQ(updated.additional_keys[0].key_number, antivirus.key_number);
  EXPECT_EQ(updated.additional_keys[0].type->name, "KASPERSKY_ANTIVIRUS");
}

TEST_F(KeyAdministratorTest, AdditionalKeysAreListedByKeyNumber) {
  KA_ASSERT_OK(Create("PLESK_WEB_HOST").status());
  KA_ASSERT_OK(
      CreateAdditional("KASPERSKY_ANTIVIRUS", "PLSK.00000001").status());
  KA_ASSERT_OK(CreateAdditional("IMUNIFY360", "PLSK.00000001").status());
  KA_ASSERT_OK_AND_ASSIGN(const KeyView parent, ka_.GetKey("PLSK.00000001"));
  ASSERT_EQ(parent.additional_keys.size(), 2u);
  // EXT sorts before KAV although it was issued later.
  EXPECT_EQ(parent.additional_keys[0].key_number, "EXT.00000003.0001");
  EXPECT_EQ(parent.additional_keys[1].key_number, "KAV.00000002.0001");
}

TEST_F(KeyAdministratorTest, AdditionalKeyNeedsAnActiveMainParent) {
  KA_ASSERT_OK(Create("PLESK_WEB_HOST").status());
  KA_ASSERT_OK(
      CreateAdditional("KASPERSKY_ANTIVIRUS", "PLSK.00000001").status());
  EXPECT_EQ(KaCodeOf(CreateAdditional("KASPERSKY_ANTIVIRUS", "").status()),
            KaCode::kMalformedKeyNumber);
  EXPECT_EQ(
      KaCodeOf(
          CreateAdditional("KASPERSKY_ANTIVIRUS", "PLSK.00000099").status()),
      KaCode::kKeyNotFound);
  EXPECT_EQ(KaCodeOf(CreateAdditional("IMUNIFY360", "KAV.00000002").status()),
            KaCode::kUpgradeNotAcceptable);
  CreateKeyParams main_with_parent;
  main_with_parent.key_type = "VIRTUOZZO";
  main_with_parent.parent_key_number = "PLSK.00000001";
  EXPECT_EQ(KaCodeOf(ka_.CreateKey(main_with_parent).status()),
            KaCode::kUpgradeNotAcceptable);
  KA_ASSERT_OK(ka_.TerminateKey("PLSK.00000001").status());
  EXPECT_EQ(
      KaCodeOf(
          CreateAdditional("KASPERSKY_ANTIVIRUS", "PLSK.00000001").status()),
      KaCode::kKeyTerminated);
}

TEST_F(KeyAdministratorTest, CreateIsIdempotent) {
  KA_ASSERT_OK_AND_ASSIGN(const KeyView first,
                          Create("CLOUDLINUX", 4, {}, "order-1"));
  clock_.Advance(absl::Hours(1));
  KA_ASSERT_OK_AND_ASSIGN(const KeyView again,
                          Create("CLOUDLINUX", 4, {}, "order-1"));
  EXPECT_EQ(again.key_number, first.key_number);
  EXPECT_EQ(again.create_time, first.create_time);
  EXPECT_EQ(KeyCount(), 1);
  KA_ASSERT_OK_AND_ASSIGN(const KeyView other,
                          Create("CLOUDLINUX", 4, {}, "order-2"));
  EXPECT_NE(other.key_number, first.key_number);
  KA_ASSERT_OK_AND_ASSIGN(const KeyView plain, Create("CLOUDLINUX", 4));
  KA_ASSERT_OK_AND_ASSIGN(const KeyView plain_again, Create("CLOUDLINUX", 4));
  EXPECT_NE(plain.key_number, plain_again.key_number);
}

TEST_F(KeyAdministratorTest, RefusedCreateIsNotRemembered) {
  EXPECT_FALSE(Create("CLOUDLINUX", 3, {}, "order-1").ok());
  KA_ASSERT_OK_AND_ASSIGN(const KeyView key,
                          Create("CLOUDLINUX", 4, {}, "order-1"));
  EXPECT_EQ(key.capacity, 4);
}

TEST_F(KeyAdministratorTest,
       ConcurrentCreatesWithOneIdempotencyKeyIssueOneKey) {
  constexpr int kThreads = 8;
  std::vector<std::string> numbers(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      const absl::StatusOr<KeyView> key =
          Create("VIRTUOZZO", 10, {}, "same-order");
      numbers[static_cast<size_t>(i)] =
          key.ok() ? key->key_number : key.status().ToString();
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(std::set<std::string>(numbers.begin(), numbers.end()).size(), 1u);
  EXPECT_EQ(KeyCount(), 1);
}

TEST_F(KeyAdministratorTest, GetKeyWithOrWithoutRevision) {
  KA_ASSERT_OK(Create("PLESK_WEB_PRO", 30).status());
  KA_ASSERT_OK(Upgrade("PLSK.00000001", 100).status());
  for (const char* name :
       {"PLSK.00000001", "PLSK.00000001.0001", "PLSK.00000001.0002"}) {
    KA_ASSERT_OK_AND_ASSIGN(const KeyView key, ka_.GetKey(name));
    EXPECT_EQ(key.key_number, "PLSK.00000001.0002") << name;
  }
  EXPECT_EQ(KaCodeOf(ka_.GetKey("PLSK.00000001.0003").status()),
            KaCode::kKeyNotFound);
  EXPECT_EQ(KaCodeOf(ka_.GetKey("VZ.00000001").status()), KaCode::kKeyNotFound);
  EXPECT_EQ(KaCodeOf(ka_.GetKey("PLSK.00000002").status()),
            KaCode::kKeyNotFound);
  EXPECT_EQ(KaCodeOf(ka_.GetKey("PLSK-00000001").status()),
            KaCode::kMalformedKeyNumber);
}

TEST_F(KeyAdministratorTest, UpgradeIssuesTheNextRevisionWithAFreshTerm) {
  KA_ASSERT_OK(Create("PLESK_WEB_PRO", 30, {"POWER_PACK"}).status());
  clock_.Advance(absl::Hours(24 * 100));
  KA_ASSERT_OK_AND_ASSIGN(const UpgradeOutcome outcome,
                          Upgrade("PLSK.00000001", 300, {"WORDPRESS_TOOLKIT"}));
  EXPECT_EQ(outcome.previous_key_number, "PLSK.00000001.0001");
  EXPECT_EQ(outcome.key.key_number, "PLSK.00000001.0002");
  EXPECT_EQ(outcome.key.capacity, 300);
  EXPECT_TRUE(outcome.key.features.Contains(Feature("POWER_PACK")));
  EXPECT_TRUE(outcome.key.features.Contains(Feature("WORDPRESS_TOOLKIT")));
  EXPECT_EQ(outcome.key.create_time, Now() - 100 * 86400);
  EXPECT_EQ(outcome.key.expire_time, OneTermAfter(Now()));
  EXPECT_EQ(outcome.key.update_due_time, outcome.key.expire_time - 10 * 86400);
}

TEST_F(KeyAdministratorTest, UpgradeWithFeaturesOnlyKeepsTheCapacity) {
  KA_ASSERT_OK(Create("VIRTUOZZO", 25).status());
  KA_ASSERT_OK_AND_ASSIGN(const UpgradeOutcome outcome,
                          Upgrade("VZ.00000001.0001", 0, {"HA_CLUSTER"}));
  EXPECT_EQ(outcome.key.capacity, 25);
  EXPECT_TRUE(outcome.key.features.Contains(Feature("HA_CLUSTER")));
}

TEST_F(KeyAdministratorTest, UpgradeRefusalsChangeNothing) {
  KA_ASSERT_OK(Create("PLESK_WEB_PRO", 100, {"POWER_PACK"}).status());
  const struct {
    int64_t capacity;
    std::vector<std::string> features;
    KaCode code;
  } cases[] = {
      {100, {}, KaCode::kUpgradeNotAcceptable},                 // same capacity
      {30, {}, KaCode::kUpgradeNotAcceptable},                  // downgrade
      {200, {}, KaCode::kUpgradeNotAcceptable},                 // not a step
      {0, {}, KaCode::kUpgradeNotAcceptable},                   // nothing to do
      {0, {"POWER_PACK"}, KaCode::kUpgradeNotAcceptable},       // already there
      {300, {"KERNELCARE"}, KaCode::kNoPriceListEntry},         // not offered
      {300, {"UNLIMITED_DOMAINS"}, KaCode::kNoPriceListEntry},  // Web Host only
  };
  for (const auto& c : cases) {
    EXPECT_EQ(
        KaCodeOf(Upgrade("PLSK.00000001", c.capacity, c.features).status()),
        c.code)
        << c.capacity;
  }
  KA_ASSERT_OK_AND_ASSIGN(const KeyView key, ka_.GetKey("PLSK.00000001"));
  EXPECT_EQ(key.key_number, "PLSK.00000001.0001");
  EXPECT_EQ(key.capacity, 100);
}

TEST_F(KeyAdministratorTest, UpgradeRefusesClosedKeys) {
  KA_ASSERT_OK(Create("CLOUDLINUX", 1).status());
  KA_ASSERT_OK(Create("CLOUDLINUX", 1).status());
  MarkProblem("CLN.00000001");
  EXPECT_EQ(KaCodeOf(Upgrade("CLN.00000001", 2).status()), KaCode::kKeyProblem);
  KA_ASSERT_OK(ka_.TerminateKey("CLN.00000002").status());
  EXPECT_EQ(KaCodeOf(Upgrade("CLN.00000002", 2).status()),
            KaCode::kKeyTerminated);
  EXPECT_EQ(KaCodeOf(Upgrade("CLN.00000003", 2).status()),
            KaCode::kKeyNotFound);
  EXPECT_EQ(KaCodeOf(Upgrade("CLN.3", 2).status()),
            KaCode::kMalformedKeyNumber);
}

TEST_F(KeyAdministratorTest, UpgradeIsIdempotentEvenAfterTheKeyChanged) {
  KA_ASSERT_OK(Create("CLOUDLINUX", 1).status());
  KA_ASSERT_OK_AND_ASSIGN(const UpgradeOutcome first,
                          Upgrade("CLN.00000001", 2, {}, "up-1"));
  KA_ASSERT_OK(Upgrade("CLN.00000001", 4, {}, "up-2").status());
  KA_ASSERT_OK_AND_ASSIGN(const UpgradeOutcome again,
                          Upgrade("CLN.00000001", 2, {}, "up-1"));
  EXPECT_EQ(again.key.key_number, "CLN.00000001.0002");
  EXPECT_EQ(again.key.capacity, 2);
  EXPECT_EQ(again.previous_key_number, first.previous_key_number);
  KA_ASSERT_OK_AND_ASSIGN(const KeyView now, ka_.GetKey("CLN.00000001"));
  EXPECT_EQ(now.key_number, "CLN.00000001.0003");
}

TEST_F(KeyAdministratorTest, CreateAndUpgradeIdempotencyKeysDoNotCollide) {
  KA_ASSERT_OK(Create("CLOUDLINUX", 1, {}, "shared").status());
  KA_ASSERT_OK_AND_ASSIGN(const UpgradeOutcome upgraded,
                          Upgrade("CLN.00000001", 2, {}, "shared"));
  EXPECT_EQ(upgraded.key.key_number, "CLN.00000001.0002");
}

TEST_F(KeyAdministratorTest, RenewAddsOneTermToTheExpiry) {
  KA_ASSERT_OK_AND_ASSIGN(const KeyView created, Create("VIRTUOZZO"));
  clock_.Advance(absl::Hours(24 * 200));
  KA_ASSERT_OK_AND_ASSIGN(const KeyView renewed,
                          ka_.RenewKey("VZ.00000001.0001"));
  EXPECT_EQ(renewed.expire_time, OneTermAfter(created.expire_time));
  EXPECT_EQ(renewed.update_due_time, renewed.expire_time - 10 * 86400);
  EXPECT_EQ(renewed.key_number, created.key_number);
}

TEST_F(KeyAdministratorTest, RenewRefusesClosedKeys) {
  KA_ASSERT_OK(Create("VIRTUOZZO").status());
  KA_ASSERT_OK(Create("VIRTUOZZO").status());
  KA_ASSERT_OK(ka_.TerminateKey("VZ.00000001").status());
  EXPECT_EQ(KaCodeOf(ka_.RenewKey("VZ.00000001").status()),
            KaCode::kKeyTerminated);
  MarkProblem("VZ.00000002");
  EXPECT_EQ(KaCodeOf(ka_.RenewKey("VZ.00000002").status()),
            KaCode::kKeyProblem);
}

TEST_F(KeyAdministratorTest,
       TerminateTakesTheAdditionalKeysAlongAndHappensOnce) {
  KA_ASSERT_OK(Create("PLESK_WEB_HOST").status());
  KA_ASSERT_OK(
      CreateAdditional("KASPERSKY_ANTIVIRUS", "PLSK.00000001").status());
  KA_ASSERT_OK_AND_ASSIGN(const KeyView terminated,
                          ka_.TerminateKey("PLSK.00000001"));
  EXPECT_TRUE(terminated.terminated);
  KA_ASSERT_OK_AND_ASSIGN(const KeyView antivirus, ka_.GetKey("KAV.00000002"));
  EXPECT_TRUE(antivirus.terminated);
  EXPECT_EQ(KaCodeOf(ka_.TerminateKey("PLSK.00000001").status()),
            KaCode::kAlreadyInState);
  EXPECT_EQ(KaCodeOf(ka_.TerminateKey("KAV.00000002").status()),
            KaCode::kAlreadyInState);
}

TEST_F(KeyAdministratorTest,
       AvailableUpgradesAreHigherStepsAndMissingFeatures) {
  KA_ASSERT_OK(Create("VIRTUOZZO", 10, {"HA_CLUSTER"}).status());
  KA_ASSERT_OK_AND_ASSIGN(const UpgradeOptions options,
                          ka_.GetAvailableUpgrades("VZ.00000001"));
  EXPECT_EQ(options.key_number, "VZ.00000001.0001");
  EXPECT_EQ(options.current_capacity, 10);
  EXPECT_THAT(options.capacity_steps, ElementsAre(25, 50, 100));
  EXPECT_FALSE(options.features.Contains(Feature("HA_CLUSTER")));
  EXPECT_TRUE(options.features.Contains(Feature("BACKUP_STORAGE")));
  EXPECT_TRUE(options.features.Contains(Feature("LIVE_MIGRATION")));
  EXPECT_FALSE(options.features.Contains(Feature("KERNELCARE")));
}

TEST_F(KeyAdministratorTest, AvailableUpgradesAtTheTopOfferNoStep) {
  KA_ASSERT_OK(Create("PLESK_WEB_ADMIN", 30).status());
  KA_ASSERT_OK_AND_ASSIGN(const UpgradeOptions options,
                          ka_.GetAvailableUpgrades("PLSK.00000001"));
  EXPECT_THAT(options.capacity_steps, IsEmpty());
  KA_ASSERT_OK(ka_.TerminateKey("PLSK.00000001").status());
  EXPECT_EQ(KaCodeOf(ka_.GetAvailableUpgrades("PLSK.00000001").status()),
            KaCode::kKeyTerminated);
}

TEST_F(KeyAdministratorTest, ListKeysPagesCoverEveryKeyOnceWhileKeysComeAndGo) {
  for (int i = 0; i < 25; ++i) KA_ASSERT_OK(Create("CLOUDLINUX").status());
  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    KA_ASSERT_OK_AND_ASSIGN(const KeyPage page, ka_.ListKeys(4, token));
    EXPECT_LE(page.keys.size(), 4u);
    for (const KeyView& key : page.keys) seen.push_back(key.key_number);
    token = page.next_page_token;
    if (++pages == 2) {
      // A key already listed goes, a key not yet listed goes, one comes.
      KeyChange erase;
      erase.erase = true;
      erase.key_number = "CLN.00000002";
      KA_ASSERT_OK(ApplyKeyChange(store_, clock_, erase).status());
      erase.key_number = "CLN.00000020";
      KA_ASSERT_OK(ApplyKeyChange(store_, clock_, erase).status());
      KA_ASSERT_OK(Create("CLOUDLINUX").status());
    }
  } while (!token.empty());
  EXPECT_EQ(seen.size(), 25u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(),
            seen.size());
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(seen.back(), "CLN.00000026.0001");
}

TEST_F(KeyAdministratorTest, ListKeysPageSizes) {
  for (int i = 0; i < 3; ++i) KA_ASSERT_OK(Create("CLOUDLINUX").status());
  KA_ASSERT_OK_AND_ASSIGN(const KeyPage all, ka_.ListKeys(0, ""));
  EXPECT_EQ(all.keys.size(), 3u);
  EXPECT_TRUE(all.next_page_token.empty());
  EXPECT_EQ(all.total_size, 3);
  KA_ASSERT_OK_AND_ASSIGN(const KeyPage exact, ka_.ListKeys(3, ""));
  EXPECT_TRUE(exact.next_page_token.empty());
  EXPECT_EQ(KaCodeOf(ka_.ListKeys(-1, "").status()),
            KaCode::kMalformedKeyNumber);
  EXPECT_EQ(KaCodeOf(ka_.ListKeys(10, "garbage").status()),
            KaCode::kMalformedKeyNumber);
}

TEST_F(KeyAdministratorTest, ListKeysOfAnEmptyStore) {
  KA_ASSERT_OK_AND_ASSIGN(const KeyPage page, ka_.ListKeys(10, ""));
  EXPECT_THAT(page.keys, IsEmpty());
  EXPECT_TRUE(page.next_page_token.empty());
  EXPECT_EQ(page.total_size, 0);
}

}  // namespace
}  // namespace ka_mock
