#include "ka-mock/seeder.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "fake_clock.h"
#include "gtest/gtest.h"
#include "ka-mock/key_administrator.h"
#include "status_macros.h"

namespace ka_mock {
namespace {

class SeederTest : public ::testing::Test {
 protected:
  std::vector<KeyView> AllKeys() {
    std::vector<KeyView> keys;
    std::string token;
    do {
      const absl::StatusOr<KeyPage> page = ka_.ListKeys(10000, token);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      keys.insert(keys.end(), page->keys.begin(), page->keys.end());
      token = page->next_page_token;
    } while (!token.empty());
    return keys;
  }

  // Every field of every key, to compare two seeds exactly.
  static std::string Fingerprint(const std::vector<KeyView>& keys) {
    std::string text;
    for (const KeyView& key : keys) {
      absl::StrAppend(
          &text, key.key_number, " ", key.type->name, " ",
          key.parent_key_number, " ", key.capacity,
          key.billing == BillingType::kLease ? " lease " : " purchase ",
          key.create_time, " ", key.update_due_time, " ", key.expire_time,
          key.terminated ? " terminated" : "", key.problem ? " problem" : "");
      for (size_t id = 0; id < catalogue_.features().size(); ++id) {
        if (key.features.Contains(static_cast<FeatureId>(id))) {
          absl::StrAppend(&text, " f", id);
        }
      }
      for (const AdditionalKeyView& additional : key.additional_keys) {
        absl::StrAppend(&text, " +", additional.key_number);
      }
      text += '\n';
    }
    return text;
  }

  static inline const Catalogue& catalogue_ = Catalogue::Default();
  FakeClock clock_{TestEpoch()};
  KeyStore store_{catalogue_};
  KeyAdministrator ka_{store_, clock_};
};

TEST_F(SeederTest, SameCountAndSeedGiveTheSameKeys) {
  KA_ASSERT_OK_AND_ASSIGN(const SeedOutcome first,
                          SeedKeys(store_, clock_, {500, 7, true}));
  const std::string keys = Fingerprint(AllKeys());
  clock_.Advance(absl::Hours(3));  // same day
  KA_ASSERT_OK_AND_ASSIGN(const SeedOutcome second,
                          SeedKeys(store_, clock_, {500, 7, true}));
  EXPECT_EQ(Fingerprint(AllKeys()), keys);
  EXPECT_EQ(second.total_keys, first.total_keys);
  KA_ASSERT_OK(SeedKeys(store_, clock_, {500, 8, true}).status());
  EXPECT_NE(Fingerprint(AllKeys()), keys);
}

TEST_F(SeederTest, KeysAreSpreadAndValid) {
  KA_ASSERT_OK_AND_ASSIGN(const SeedOutcome outcome,
                          SeedKeys(store_, clock_, {2000, 1, false}));
  EXPECT_EQ(outcome.main_keys_created, 2000);
  // About one main key in five has an additional key.
  EXPECT_GT(outcome.additional_keys_created, 300);
  EXPECT_LT(outcome.additional_keys_created, 500);
  EXPECT_EQ(outcome.total_keys,
            outcome.main_keys_created + outcome.additional_keys_created);

  const int64_t now = absl::ToUnixSeconds(clock_.Now());
  std::map<std::string, int> per_type;
  for (const KeyView& key : AllKeys()) {
    ++per_type[key.type->name];
    EXPECT_TRUE(key.type->IsStep(key.capacity)) << key.key_number;
    EXPECT_EQ(key.features.Minus(key.type->offered_features), FeatureSet())
        << key.key_number;
    EXPECT_GT(key.expire_time, now - 86400) << key.key_number;
    EXPECT_LE(key.expire_time, now + 367 * 86400) << key.key_number;
    EXPECT_EQ(key.update_due_time, key.expire_time - 10 * 86400);
    EXPECT_LT(key.create_time, key.expire_time);
    EXPECT_EQ(key.parent_key_number.empty(), key.type->kind == KeyKind::kMain);
  }
  for (const KeyTypeSpec& type : catalogue_.key_types()) {
    EXPECT_GT(per_type[type.name], 50) << type.name;
  }
}

TEST_F(SeederTest, WithoutResetKeysAreAdded) {
  KA_ASSERT_OK(SeedKeys(store_, clock_, {10, 1, false}).status());
  KA_ASSERT_OK_AND_ASSIGN(const SeedOutcome first,
                          SeedKeys(store_, clock_, {10, 1, true}));
  KA_ASSERT_OK_AND_ASSIGN(const SeedOutcome second,
                          SeedKeys(store_, clock_, {10, 1, false}));
  EXPECT_EQ(second.total_keys, 2 * first.total_keys);
}

TEST_F(SeederTest, ResetForgetsIdempotencyRecords) {
  CreateKeyParams params;
  params.key_type = "CLOUDLINUX";
  params.idempotency_key = "order-1";
  KA_ASSERT_OK(ka_.CreateKey(params).status());
  KA_ASSERT_OK(SeedKeys(store_, clock_, {0, 1, true}).status());
  KA_ASSERT_OK_AND_ASSIGN(const KeyView again, ka_.CreateKey(params));
  EXPECT_EQ(AllKeys().size(), 1u);
  EXPECT_EQ(again.key_number, "CLN.00000001.0001");
}

TEST_F(SeederTest, NegativeCountIsInvalid) {
  EXPECT_EQ(SeedKeys(store_, clock_, {-1, 1, false}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(SeederTest, SeedsAMillionKeys) {
  KA_ASSERT_OK_AND_ASSIGN(const SeedOutcome outcome,
                          SeedKeys(store_, clock_, {1'000'000, 42, false}));
  EXPECT_EQ(outcome.main_keys_created, 1'000'000);
  KA_ASSERT_OK_AND_ASSIGN(const KeyPage last, ka_.ListKeys(1, ""));
  EXPECT_EQ(last.total_size, outcome.total_keys);
}

}  // namespace
}  // namespace ka_mock
