#include "server/upgrade/upgrade_steps.h"

#include <gtest/gtest.h>

#include <string>

#include "common/status/error_details.h"
#include "storage/license_repository.h"

namespace lss {
namespace {

constexpr UpgradeState kAllStates[] = {UpgradeState::kStarted,   UpgradeState::kConfigured, UpgradeState::kPriced,
                                       UpgradeState::kPlacing,   UpgradeState::kCompleted,  UpgradeState::kCancelled,
                                       UpgradeState::kExpired,   UpgradeState::kFailed};

struct StepCase {
  UpgradeState state;
  UpgradeStep step;
  std::string reason;         // empty: allowed
  std::string expected_step;  // the refusal's metadata
};

class CheckStepTest : public ::testing::TestWithParam<StepCase> {};

TEST_P(CheckStepTest, AllowsOrNamesTheStepExpected) {
  const StepCase& c = GetParam();
  const absl::Status status = CheckStep(c.state, c.step);
  if (c.reason.empty()) {
    EXPECT_TRUE(status.ok()) << status;
    return;
  }
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(status), c.reason);
  EXPECT_EQ(MetadataOf(status, kExpectedStepMetadata), c.expected_step);
  EXPECT_EQ(MetadataOf(status, kStateMetadata), UpgradeStateName(c.state));
  EXPECT_NE(status.message().find(std::string(UpgradeStateName(c.state))), absl::string_view::npos) << status;
}

INSTANTIATE_TEST_SUITE_P(
    Wizard, CheckStepTest,
    ::testing::Values(
        // Forward, one step at a time.
        StepCase{UpgradeState::kStarted, UpgradeStep::kConfigure, "", ""},
        StepCase{UpgradeState::kConfigured, UpgradeStep::kPrice, "", ""},
        StepCase{UpgradeState::kPriced, UpgradeStep::kPlace, "", ""},
        // Going back, or pricing again.
        StepCase{UpgradeState::kConfigured, UpgradeStep::kConfigure, "", ""},
        StepCase{UpgradeState::kPriced, UpgradeStep::kConfigure, "", ""},
        StepCase{UpgradeState::kPriced, UpgradeStep::kPrice, "", ""},
        // Joining or repeating a placement is not out of order.
        StepCase{UpgradeState::kPlacing, UpgradeStep::kPlace, "", ""},
        StepCase{UpgradeState::kCompleted, UpgradeStep::kPlace, "", ""},
        // Skipping ahead names the step missed.
        StepCase{UpgradeState::kStarted, UpgradeStep::kPrice, "UPGRADE_STEP_OUT_OF_ORDER", "ConfigureUpgrade"},
        StepCase{UpgradeState::kStarted, UpgradeStep::kPlace, "UPGRADE_STEP_OUT_OF_ORDER", "ConfigureUpgrade"},
        StepCase{UpgradeState::kConfigured, UpgradeStep::kPlace, "UPGRADE_STEP_OUT_OF_ORDER", "PriceUpgrade"},
        // Cancelling is open until the order is placed.
        StepCase{UpgradeState::kStarted, UpgradeStep::kCancel, "", ""},
        StepCase{UpgradeState::kPriced, UpgradeStep::kCancel, "", ""},
        StepCase{UpgradeState::kPlacing, UpgradeStep::kCancel, "UPGRADE_ORDER_PLACING", "GetUpgrade"},
        StepCase{UpgradeState::kPlacing, UpgradeStep::kConfigure, "UPGRADE_ORDER_PLACING", "GetUpgrade"},
        StepCase{UpgradeState::kCompleted, UpgradeStep::kCancel, "UPGRADE_ENDED", "StartUpgrade"},
        StepCase{UpgradeState::kCancelled, UpgradeStep::kConfigure, "UPGRADE_ENDED", "StartUpgrade"},
        StepCase{UpgradeState::kFailed, UpgradeStep::kPlace, "UPGRADE_ENDED", "StartUpgrade"},
        StepCase{UpgradeState::kExpired, UpgradeStep::kPrice, "UPGRADE_EXPIRED", "StartUpgrade"},
        StepCase{UpgradeState::kExpired, UpgradeStep::kCancel, "UPGRADE_EXPIRED", "StartUpgrade"}));

TEST(UpgradeStepsTest, OnlyUnfinishedSessionsExpire) {
  const absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  for (UpgradeState state : kAllStates) {
    UpgradeRecord upgrade;
    upgrade.state = state;
    upgrade.expire_time = now;
    EXPECT_EQ(HasExpired(upgrade, now), IsUnfinished(state)) << UpgradeStateName(state);
    upgrade.expire_time = now + absl::Seconds(1);
    EXPECT_FALSE(HasExpired(upgrade, now)) << UpgradeStateName(state);
  }
}

TEST(UpgradeStepsTest, EveryStateHasItsApiName) {
  EXPECT_EQ(UpgradeStateName(UpgradeState::kStarted), "STARTED");
  EXPECT_EQ(UpgradeStateName(UpgradeState::kPlacing), "PLACING");
  EXPECT_EQ(UpgradeStateName(UpgradeState::kFailed), "FAILED");
  for (UpgradeState state : kAllStates) EXPECT_NE(UpgradeStateName(state), "UNSPECIFIED");
}

}  // namespace
}  // namespace lss
