// (e) Many concurrent clients mixing GetLicense, ListLicenses, SyncLicense
// and whole upgrade-wizard runs on random licenses (half of them from a
// small window they meet on), with one SyncAll over everything in the
// middle. The only errors allowed are the conflicts the API promises:
// ABORTED on an etag conflict (UPGRADE_LICENSE_CHANGED: the license moved
// on since the session started; UPGRADE_CHANGED: another step changed the
// session) and FAILED_PRECONDITION UPGRADE_ORDER_PLACING (a sync, a start
// or a second order while an order is being placed). Each is counted.
// Then: no stale result left behind, no order lost or doubled, every key
// upgraded once per order, and after a clean sync exactly the changed
// licenses that no order adopted are Not In Sync.
#include <gtest/gtest.h>

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "tests/harness/harness.h"
#include "tests/reliability/final_check.h"
#include "tests/reliability/ground_truth.h"
#include "tests/reliability/ka_drift.h"
#include "tests/reliability/license_reads.h"
#include "tests/reliability/mixed_load.h"
#include "tests/reliability/reliability_stack.h"
#include "tests/reliability/rpc_calls.h"
#include "tests/reliability/scale.h"
#include "tests/reliability/scenario_report.h"

namespace lss::reliability {
namespace {

// Channels the clients share, each its own connection, as a few client
// processes would have.
constexpr int kChannels = 4;

bool Allowed(const CallTally::Outcome& outcome) {
  static const std::set<std::pair<std::string, std::string>> allowed = {
      {"ABORTED", "UPGRADE_LICENSE_CHANGED"},
      {"ABORTED", "UPGRADE_CHANGED"},
      {"FAILED_PRECONDITION", "UPGRADE_ORDER_PLACING"},
  };
  return outcome.code == "OK" || allowed.count({outcome.code, outcome.reason}) > 0;
}

TEST(MixedLoadTest, ConcurrentClientsMeetOnlyTheConflictsTheApiPromises) {
  const Scale& scale = CurrentScale();
  ScenarioReport report("(e) mixed load: concurrent Get, List, Sync and upgrade-wizard clients");
  absl::StatusOr<std::unique_ptr<ReliabilityStack>> started =
      ReliabilityStack::Start({.name = "rel-load", .licenses = scale.load_licenses, .private_mariadb = false});
  ASSERT_TRUE(started.ok()) << started.status();
  ReliabilityStack& stack = **started;
  report.Add("licenses", stack.imported().size());
  report.Add("clients", scale.load_clients, " threads on ", kChannels, " channels, for ",
             Seconds(scale.load_duration));

  GroundTruth truth(stack.imported());
  absl::StatusOr<DriftSummary> drift =
      DriftEvery(stack.ka(), stack.imported(), scale.drift_every, AllDriftKinds(), truth);
  ASSERT_TRUE(drift.ok()) << drift.status();
  report.Add("changed at KA before the load", DriftText(*drift));

  std::vector<std::shared_ptr<licensing::v1::LicenseService::Stub>> stubs;
  for (int i = 0; i < kChannels; ++i) stubs.push_back(licensing::v1::LicenseService::NewStub(stack.server().NewChannel()));
  MixedLoad load(stubs, stack.imported(), truth,
                 {.clients = scale.load_clients, .duration = scale.load_duration, .seed = 8});
  load.Start();
  // One SyncAll over everything while the clients run, once they are
  // well under way: its chunks meet orders being placed.
  ASSERT_TRUE(harness::WaitFor([&] { return load.tally().calls() >= scale.load_min_calls / 4; },
                               scale.load_duration));
  const absl::Time sync_all_start = absl::Now();
  absl::StatusOr<licensing::v1::SyncProgress> mid_load_job = SyncAllToTheEnd(*stack.stub(), absl::Minutes(10));
  const absl::Duration sync_all_time = absl::Now() - sync_all_start;
  load.Wait();

  const CallTally& tally = load.tally();
  report.Add("calls", tally.calls(), " in ", Seconds(load.elapsed()), " (",
             static_cast<int64_t>(tally.calls() / std::max(absl::ToDoubleSeconds(load.elapsed()), 1e-3)), "/s)");
  std::vector<std::string> by_method;
  for (const auto& [method, count] : tally.CallsByMethod()) by_method.push_back(absl::StrCat(method, " ", count));
  report.Add("calls by method", absl::StrJoin(by_method, ", "));
  std::vector<std::string> errors;
  for (const auto& [what, count] : tally.ErrorsByCodeAndReason()) errors.push_back(absl::StrCat(what, ": ", count));
  report.Add("errors by code and reason", errors.empty() ? "none" : absl::StrJoin(errors, ", "));
  report.Add("wizard runs / orders completed (adoptions only) / sessions cancelled (nothing to add)",
             load.wizard_runs(), " / ", load.orders_completed(), " (", load.adoptions(), ") / ",
             load.sessions_cancelled());

  for (const auto& [outcome, count] : tally.outcomes()) {
    EXPECT_TRUE(Allowed(outcome)) << count << " x " << outcome.method << ": " << outcome.code << " "
                                  << outcome.reason << ", e.g. \"" << tally.ExampleMessage(outcome) << "\"";
  }
  EXPECT_GE(tally.calls(), scale.load_min_calls);
  EXPECT_EQ(load.surprises(), 0) << absl::StrJoin(load.surprise_examples(), "\n");
  EXPECT_GT(load.orders_completed(), 0);

  ASSERT_TRUE(mid_load_job.ok()) << mid_load_job.status();
  report.AddDuration("the SyncAll during the load", sync_all_time);
  report.Add("its totals: total / processed / in sync / not in sync / errors / skipped", mid_load_job->total(),
             " / ", mid_load_job->processed(), " / ", mid_load_job->in_sync(), " / ", mid_load_job->not_in_sync(),
             " / ", mid_load_job->errors(), " / ", mid_load_job->skipped());
  EXPECT_TRUE(truth.JobCoveredEveryLicense(*mid_load_job));
  EXPECT_EQ(mid_load_job->errors(), 0);

  // What the load left behind, before any clean sync: no stale result.
  absl::StatusOr<std::vector<licensing::v1::License>> licenses = ListAllLicenses(*stack.stub());
  ASSERT_TRUE(licenses.ok()) << licenses.status();
  EXPECT_TRUE(truth.StatusesPlausible(*licenses)) << "right after the load";

  CheckFinalInvariants(*stack.stub(), stack.ka(), truth, report);
}

}  // namespace
}  // namespace lss::reliability
