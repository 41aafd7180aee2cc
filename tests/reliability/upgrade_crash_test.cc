// (c) The server killed (kill -9) at each step of the upgrade wizard: after
// StartUpgrade, after ConfigureUpgrade, after PriceUpgrade (then restarted
// on the same port), and inside PlaceUpgradeOrder between KA's answer and
// the database write (--testing_crash_after_ka_upgrade on a replica of its
// own; the surviving replica completes the order once the dead one's claim
// runs out). Each time the wizard goes on with the same upgrade_id
// (sessions are durable) and the order is placed: exactly one new key at
// KA, the order COMPLETED once with that key, the license In Sync on it.
// For every step one license In Sync and one changed at KA beforehand (the
// order adopts KA's configuration as well).
#include <gtest/gtest.h>

#include <csignal>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/harness/harness.h"
#include "tests/reliability/final_check.h"
#include "tests/reliability/ground_truth.h"
#include "tests/reliability/ka_drift.h"
#include "tests/reliability/license_reads.h"
#include "tests/reliability/reliability_stack.h"
#include "tests/reliability/rpc_calls.h"
#include "tests/reliability/scale.h"
#include "tests/reliability/scenario_report.h"
#include "tests/reliability/wizard_steps.h"

namespace lss::reliability {
namespace {

using licensing::v1::License;
using licensing::v1::Upgrade;

enum class CrashPoint { kAfterStart, kAfterConfigure, kAfterPrice, kInsidePlace };

std::string Name(CrashPoint point) {
  switch (point) {
    case CrashPoint::kAfterStart: return "after StartUpgrade";
    case CrashPoint::kAfterConfigure: return "after ConfigureUpgrade";
    case CrashPoint::kAfterPrice: return "after PriceUpgrade";
    case CrashPoint::kInsidePlace: return "inside PlaceUpgradeOrder, after KA's answer";
  }
  return "?";
}

class UpgradeCrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<ReliabilityStack>> started = ReliabilityStack::Start(
        {.name = "rel-upgrade", .licenses = CurrentScale().upgrade_licenses, .private_mariadb = false});
    ASSERT_TRUE(started.ok()) << started.status();
    stack_ = *std::move(started);
    truth_ = std::make_unique<GroundTruth>(stack_->imported());
    absl::StatusOr<std::map<std::string, keyadmin::v1::KeyType>> types = stack_->ka().KeyTypes();
    ASSERT_TRUE(types.ok()) << types.status();
    types_ = *std::move(types);
  }

  // Licenses with a capacity step still to go at KA, taken once each.
  std::optional<License> TakeUpgradable() {
    for (const License& license : stack_->imported()) {
      if (taken_.count(license.license_id())) continue;
      auto type = types_.find(license.license_class());
      if (type == types_.end() || type->second.kind() != keyadmin::v1::KEY_KIND_MAIN) continue;
      const auto& steps = type->second.capacity_steps();
      if (std::none_of(steps.begin(), steps.end(), [&](int64_t s) { return s > license.capacity(); })) continue;
      taken_.insert(license.license_id());
      return license;
    }
    return std::nullopt;
  }

  // kill -9 and restart replica A on its port; the shared stub reconnects.
  void KillAndRestart() {
    stack_->server().Kill();
    ASSERT_TRUE(stack_->server().Restart().ok());
    ++kills_;
  }

  // Walks the wizard for `license` with the server killed at `point`, then
  // checks the order's outcome at KA and in billing.
  void UpgradeThroughCrash(const License& license, CrashPoint point, const std::string& request_id) {
    SCOPED_TRACE(absl::StrCat("license ", license.license_id(), ", killed ", Name(point)));
    WizardSteps steps(stack_->stub(), nullptr);
    Upgrade started;
    grpc::Status status = steps.Start(license.license_id(), &started);
    ASSERT_TRUE(status.ok()) << status.error_message();
    if (point == CrashPoint::kAfterStart) KillAndRestart();

    const std::optional<UpgradeTarget> target = ChooseTarget(started, /*adopt_only=*/false);
    ASSERT_TRUE(target && target->calls_ka) << "no capacity step to go";
    status = steps.Configure(started.upgrade_id(), *target, nullptr);
    ASSERT_TRUE(status.ok()) << "ConfigureUpgrade after the restart: " << CodeName(status.error_code()) << " "
                             << ReasonOf(status) << " " << status.error_message();
    if (point == CrashPoint::kAfterConfigure) KillAndRestart();

    status = steps.Price(started.upgrade_id(), nullptr);
    ASSERT_TRUE(status.ok()) << "PriceUpgrade after the restart: " << CodeName(status.error_code()) << " "
                             << ReasonOf(status) << " " << status.error_message();
    if (point == CrashPoint::kAfterPrice) KillAndRestart();

    absl::StatusOr<int64_t> calls_before = stack_->ka().CallCount("UpgradeKey");
    ASSERT_TRUE(calls_before.ok()) << calls_before.status();
    int ka_calls = 1;
    if (point == CrashPoint::kInsidePlace) {
      ASSERT_NO_FATAL_FAILURE(PlaceOnCrashingReplica(started.upgrade_id(), request_id));
      // The crashed placement's call and the recovery's repeat of it under
      // the same idempotency key, which KA answers with its first key.
      ka_calls = 2;
    }
    licensing::v1::PlaceUpgradeOrderResponse placed;
    status = steps.Place(started.upgrade_id(), request_id, &placed);
    ASSERT_TRUE(status.ok()) << "PlaceUpgradeOrder after the restart: " << CodeName(status.error_code()) << " "
                             << ReasonOf(status) << " " << status.error_message();

    absl::StatusOr<int64_t> calls_after = stack_->ka().CallCount("UpgradeKey");
    ASSERT_TRUE(calls_after.ok()) << calls_after.status();
    EXPECT_EQ(*calls_after - *calls_before, ka_calls) << "UpgradeKey calls at ka-mock for this order";
    const Upgrade& done = placed.upgrade();
    EXPECT_EQ(done.state(), licensing::v1::UPGRADE_STATE_COMPLETED);
    EXPECT_EQ(done.order().request_id(), request_id);
    EXPECT_TRUE(done.order().key_administrator_called());
    EXPECT_EQ(done.order().new_key_number(), placed.license().key_number());
    EXPECT_EQ(SplitKeyNumber(placed.license().key_number()).revision,
              SplitKeyNumber(started.ka_configuration().key_number()).revision + 1)
        << "one new key, one revision above KA's";
    EXPECT_EQ(placed.license().sync_status(), licensing::v1::SYNC_STATUS_IN_SYNC) << placed.license().sync_message();
    EXPECT_EQ(placed.license().capacity(), target->capacity);
    EXPECT_FALSE(placed.license().order_placing());
    // The order is there once.
    licensing::v1::ListUpgradesRequest list;
    list.set_license_id(license.license_id());
    list.set_state(licensing::v1::UPGRADE_STATE_COMPLETED);
    licensing::v1::ListUpgradesResponse completed;
    ASSERT_TRUE(stack_->stub()->ListUpgrades(Deadline().get(), list, &completed).ok());
    ASSERT_EQ(completed.upgrades_size(), 1);
    EXPECT_EQ(completed.upgrades(0).upgrade_id(), started.upgrade_id());
    truth_->OrderCompleted(license.license_id(), started.upgrade_id(), done.order().new_key_number(),
                           placed.license().key_number(), /*key_issued=*/true, ka_calls);
  }

  // The order placed on a replica that kills itself when KA answers; the
  // surviving replica A completes it once the dead claim runs out.
  void PlaceOnCrashingReplica(const std::string& upgrade_id, const std::string& request_id) {
    if (crashing_ == nullptr) {
      absl::StatusOr<std::unique_ptr<harness::LicenseServerProcess>> crashing =
          stack_->StartReplica("replica-crash", {"--testing_crash_after_ka_upgrade"});
      ASSERT_TRUE(crashing.ok()) << crashing.status();
      crashing_ = *std::move(crashing);
    } else {
      // Started again only now: at start it would take over any order left
      // placing, and die again on KA's answer.
      ASSERT_TRUE(crashing_->Restart().ok());
    }
    WizardSteps doomed(licensing::v1::LicenseService::NewStub(crashing_->NewChannel()), nullptr);
    grpc::Status status = doomed.Place(upgrade_id, request_id, nullptr);
    EXPECT_FALSE(status.ok()) << "the replica was to die before answering";
    absl::StatusOr<harness::ExitStatus> exit = crashing_->process().WaitForExit(absl::Seconds(60));
    ASSERT_TRUE(exit.ok()) << exit.status();
    EXPECT_EQ(*exit, harness::ExitStatus::KilledBy(SIGKILL));
    ++kills_;
  }

  std::unique_ptr<ReliabilityStack> stack_;
  std::unique_ptr<GroundTruth> truth_;
  std::unique_ptr<harness::LicenseServerProcess> crashing_;
  std::map<std::string, keyadmin::v1::KeyType> types_;
  std::set<int64_t> taken_;
  int kills_ = 0;
};

TEST_F(UpgradeCrashTest, EveryStepSurvivesAKillAndTheOrderReachesKaOnce) {
  ScenarioReport report("(c) license-server killed (kill -9) at each upgrade step");
  report.Add("licenses", stack_->imported().size());
  const absl::Time start = absl::Now();
  int orders = 0;
  DriftSummary drifted;
  for (CrashPoint point :
       {CrashPoint::kAfterStart, CrashPoint::kAfterConfigure, CrashPoint::kAfterPrice, CrashPoint::kInsidePlace}) {
    // One In Sync license, and one whose key KA changed behind billing's
    // back (regenerated, or a feature added), which the order adopts.
    for (int k = 0; k < CurrentScale().upgrade_orders_per_step; ++k) {
      std::optional<License> license = TakeUpgradable();
      ASSERT_TRUE(license) << "no license left with a capacity step to go";
      if (k % 2 == 1) {
        const DriftKind kind = orders % 4 == 1 ? DriftKind::kRegenerate : DriftKind::kAddFeature;
        absl::StatusOr<DriftSummary> drift = DriftEvery(stack_->ka(), {*license}, 1, {kind}, *truth_);
        ASSERT_TRUE(drift.ok()) << drift.status();
        drifted.licenses += drift->licenses;
        for (const auto& [name, count] : drift->by_kind) drifted.by_kind[name] += count;
      }
      ASSERT_NO_FATAL_FAILURE(UpgradeThroughCrash(*license, point, absl::StrCat("crash-order-", ++orders)));
    }
  }
  report.Add("crash points", "after StartUpgrade, after ConfigureUpgrade, after PriceUpgrade, inside "
                             "PlaceUpgradeOrder (--testing_crash_after_ka_upgrade)");
  report.Add("orders placed through a crash", orders, " (", drifted.licenses, " of them adopting a change made at KA: ",
             DriftText(drifted), ")");
  report.Add("license-server processes killed", kills_);
  report.AddDuration("the wizard runs, kills and restarts included", absl::Now() - start);
  CheckFinalInvariants(*stack_->stub(), stack_->ka(), *truth_, report);
}

}  // namespace
}  // namespace lss::reliability
