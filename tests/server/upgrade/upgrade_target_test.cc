#include "server/upgrade/upgrade_target.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/status/error_details.h"

namespace lss {
namespace {

using ::testing::ElementsAre;

// A PLESK_WEB_PRO key at 30 domains with LANGUAGE_PACK, as ka-mock's
// catalogue would offer it.
UpgradeRecord Session(SyncStatus status) {
  UpgradeRecord upgrade;
  upgrade.upgrade_id = "upg-0000000000000001";
  upgrade.sync_status = status;
  upgrade.ka.key_number = "PLSK.00000007.0002";
  upgrade.ka.license_class = "PLESK_WEB_PRO";
  upgrade.ka.capacity = 30;
  upgrade.ka.features = {"LANGUAGE_PACK"};
  upgrade.billing = upgrade.ka;
  upgrade.options.capacity_unit = "domains";
  upgrade.options.capacity_steps = {30, 100, 300};
  upgrade.options.max_capacity = 300;
  upgrade.options.features = {{"POWER_PACK", "Power Pack"}, {"WORDPRESS_TOOLKIT", "WordPress Toolkit"}};
  return upgrade;
}

TEST(UpgradeTargetTest, OptionsStartAtKasCapacityWithDisplayNames) {
  KaUpgradeOptions available;
  available.key_type = "PLESK_WEB_PRO";
  available.current_capacity = 30;
  available.capacity_steps = {300, 100};
  available.max_capacity = 300;
  available.features = {{"WORDPRESS_TOOLKIT", "WordPress Toolkit"}, {"POWER_PACK", "Power Pack"}};
  KaKeyType type;
  type.name = "PLESK_WEB_PRO";
  type.capacity_unit = "domains";
  const UpgradeOptions options = OptionsFor(available, {type});
  EXPECT_EQ(options.capacity_unit, "domains");
  EXPECT_THAT(options.capacity_steps, ElementsAre(30, 100, 300));
  EXPECT_EQ(options.max_capacity, 300);
  ASSERT_EQ(options.features.size(), 2u);
  EXPECT_EQ(options.features[0], (FeatureOffer{"POWER_PACK", "Power Pack"}));
}

TEST(UpgradeTargetTest, AcceptsAStepAndOfferedFeaturesSortedOnce) {
  absl::StatusOr<UpgradeTarget> target =
      ValidateTarget(Session(SyncStatus::kInSync), {100, {"WORDPRESS_TOOLKIT", "POWER_PACK", "WORDPRESS_TOOLKIT"}});
  ASSERT_TRUE(target.ok()) << target.status();
  EXPECT_EQ(target->capacity, 100);
  EXPECT_THAT(target->add_features, ElementsAre("POWER_PACK", "WORDPRESS_TOOLKIT"));
}

TEST(UpgradeTargetTest, CapacityZeroKeepsKas) {
  absl::StatusOr<UpgradeTarget> target = ValidateTarget(Session(SyncStatus::kInSync), {0, {"POWER_PACK"}});
  ASSERT_TRUE(target.ok()) << target.status();
  EXPECT_EQ(target->capacity, 30);
}

struct Refusal {
  UpgradeRequest request;
  std::string reason;
  std::string field;
};

class UpgradeTargetRefusalTest : public ::testing::TestWithParam<Refusal> {};

TEST_P(UpgradeTargetRefusalTest, NamesTheField) {
  const absl::StatusOr<UpgradeTarget> target = ValidateTarget(Session(SyncStatus::kInSync), GetParam().request);
  ASSERT_FALSE(target.ok());
  EXPECT_EQ(target.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReasonOf(target.status()), GetParam().reason);
  ASSERT_FALSE(FieldViolationsOf(target.status()).empty());
  EXPECT_EQ(FieldViolationsOf(target.status())[0].field, GetParam().field);
}

INSTANTIATE_TEST_SUITE_P(
    ConfigureUpgrade, UpgradeTargetRefusalTest,
    ::testing::Values(Refusal{{10, {}}, "DOWNGRADE_REFUSED", "capacity"},
                      Refusal{{200, {}}, "CAPACITY_NOT_OFFERED", "capacity"},
                      Refusal{{1000, {}}, "CAPACITY_NOT_OFFERED", "capacity"},
                      Refusal{{100, {"POWER_PACK", "UNLIMITED_DOMAINS"}}, "FEATURE_NOT_OFFERED", "add_features[1]"},
                      Refusal{{0, {"LANGUAGE_PACK"}}, "FEATURE_NOT_OFFERED", "add_features[0]"},
                      Refusal{{0, {}}, "UPGRADE_NO_CHANGE", "capacity"},
                      Refusal{{30, {}}, "UPGRADE_NO_CHANGE", "capacity"},
                      // The limits come first, whatever else is wrong.
                      Refusal{{10, std::vector<std::string>(kMaxFeaturesPerRequest + 1, "POWER_PACK")},
                              "INVALID_ARGUMENT", "add_features"},
                      Refusal{{100, {"POWER_PACK", std::string(kMaxApiNameLength + 1, 'A')}},
                              "INVALID_ARGUMENT", "add_features[1]"}));

TEST(UpgradeTargetTest, AtTheLimitsTheRequestIsJudgedOnItsMerits) {
  // kMaxFeaturesPerRequest entries (duplicates of an offered one) pass the limit.
  EXPECT_TRUE(ValidateTarget(Session(SyncStatus::kInSync),
                             {0, std::vector<std::string>(kMaxFeaturesPerRequest, "POWER_PACK")})
                  .ok());
  EXPECT_TRUE(CheckUpgradeRequestLimits({0, {std::string(kMaxApiNameLength, 'A')}}).ok());
}

TEST(UpgradeTargetTest, AnEmptyChangeAdoptsKaForANotInSyncLicense) {
  UpgradeRecord upgrade = Session(SyncStatus::kNotInSync);
  upgrade.billing.capacity = 100;  // KA lowered it
  absl::StatusOr<UpgradeTarget> target = ValidateTarget(upgrade, {});
  ASSERT_TRUE(target.ok()) << target.status();
  upgrade.target = *target;
  EXPECT_FALSE(NeedsKaUpgrade(upgrade));
  EXPECT_EQ(TargetConfig(upgrade), upgrade.ka);
}

TEST(UpgradeTargetTest, TargetIsKasConfigurationWithTheChanges) {
  UpgradeRecord upgrade = Session(SyncStatus::kInSync);
  upgrade.target = UpgradeTarget{300, {"POWER_PACK"}};
  const LicenseConfig target = TargetConfig(upgrade);
  EXPECT_EQ(target.key_number, "PLSK.00000007.0002");
  EXPECT_EQ(target.capacity, 300);
  EXPECT_THAT(target.features, ElementsAre("LANGUAGE_PACK", "POWER_PACK"));
  ASSERT_TRUE(NeedsKaUpgrade(upgrade));
  const KaUpgradeKeyRequest call = KaUpgradeFor(upgrade);
  EXPECT_EQ(call.key_number, "PLSK.00000007.0002");
  EXPECT_EQ(call.capacity, 300);
  EXPECT_THAT(call.add_features, ElementsAre("POWER_PACK"));
  EXPECT_EQ(call.idempotency_key, "upgrade:upg-0000000000000001");
}

TEST(UpgradeTargetTest, AFeatureAloneKeepsKasCapacityAtKa) {
  UpgradeRecord upgrade = Session(SyncStatus::kInSync);
  upgrade.target = UpgradeTarget{30, {"POWER_PACK"}};
  EXPECT_EQ(KaUpgradeFor(upgrade).capacity, 0);
}

TEST(UpgradeTargetTest, KeysThatCannotBeUpgradedNameTheirMismatch) {
  const struct {
    MismatchKind kind;
    std::string name;
  } cases[] = {{MismatchKind::kTerminated, "TERMINATED"},
               {MismatchKind::kKeyNotFound, "KEY_NOT_FOUND"},
               {MismatchKind::kProblem, "PROBLEM"}};
  for (const auto& c : cases) {
    SyncResult result{SyncStatus::kNotInSync, {{MismatchKind::kCapacityChanged, "1", "2"}, {c.kind, "", ""}}, ""};
    const absl::Status status = CheckUpgradable(result, "PLSK.00000007.0002");
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << c.name;
    EXPECT_EQ(ReasonOf(status), "KEY_NOT_UPGRADABLE");
    EXPECT_EQ(MetadataOf(status, "mismatch"), c.name);
  }
  const SyncResult adoptable{SyncStatus::kNotInSync, {{MismatchKind::kKeyChanged, "a", "b"}}, ""};
  EXPECT_TRUE(CheckUpgradable(adoptable, "PLSK.00000007.0002").ok());
}

}  // namespace
}  // namespace lss
