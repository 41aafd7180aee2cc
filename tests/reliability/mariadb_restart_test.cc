// (a) MariaDB killed (kill -9) and restarted mid-SyncAll: the database the
// replica writes every chunk to vanishes with connections open and comes
// back after InnoDB's crash recovery. The job must finish by itself, every
// license counted once and judged right, the server serving again.
#include <gtest/gtest.h>

#include "absl/time/clock.h"
#include "tests/harness/harness.h"
#include "tests/reliability/drifted_start.h"
#include "tests/reliability/final_check.h"
#include "tests/reliability/ground_truth.h"
#include "tests/reliability/job_waits.h"
#include "tests/reliability/ka_drift.h"
#include "tests/reliability/license_reads.h"
#include "tests/reliability/progress_watch.h"
#include "tests/reliability/reliability_stack.h"
#include "tests/reliability/rpc_calls.h"
#include "tests/reliability/scale.h"
#include "tests/reliability/scenario_report.h"

namespace lss::reliability {
namespace {

using licensing::v1::SyncProgress;

constexpr int kOutageChecks = 15;

// The job's shape, and health probed often so that the outage shows soon.
std::vector<std::string> ServerArgs(const Scale& scale) {
  std::vector<std::string> args = JobShapeArgs(scale, /*bulk=*/true);
  args.push_back("--health-interval=200ms");
  return args;
}

TEST(MariaDbRestartTest, AJobCutByADatabaseCrashFinishesWithEveryLicenseRight) {
  const Scale& scale = CurrentScale();
  ScenarioReport report("(a) MariaDB killed and restarted mid-SyncAll");
  absl::StatusOr<std::unique_ptr<ReliabilityStack>> started =
      ReliabilityStack::Start({.name = "rel-mariadb",
                               .licenses = scale.sync_licenses,
                               .private_mariadb = true,
                               .server_args = ServerArgs(scale)});
  ASSERT_TRUE(started.ok()) << started.status();
  ReliabilityStack& stack = **started;
  report.Add("licenses", stack.imported().size());
  report.Add("job shape", "ListKeys pages of ", scale.ka_page_size, " keys, KA latency ", scale.ka_latency_ms, " ms");
  report.AddDuration("import", stack.import_time());

  GroundTruth truth(stack.imported());
  ASSERT_TRUE(DriftAndSlowKa(stack, scale, truth, report).ok());

  const absl::Time job_start = absl::Now();
  std::unique_ptr<ProgressWatch> watch = ProgressWatch::SyncAll(stack.stub());
  ASSERT_TRUE(watch->WaitForEvent(
      [](const SyncProgress& p) { return p.processed() > 0 && p.processed() >= p.total() / 4; }, absl::Minutes(3)))
      << "the job never got a quarter through";
  const std::string job_id = watch->job_id();
  const SyncProgress at_fault = watch->events().back();
  report.Add("processed when MariaDB was killed", at_fault.processed());
  EXPECT_LT(at_fault.processed(), at_fault.total()) << "the job was over before the fault";

  const absl::Time killed = absl::Now();
  stack.private_db()->Kill();
  // Down until the replica has reported NOT_SERVING (its health follows
  // the database) to kOutageChecks health checks in a row, 200 ms apart:
  // longer than the 2 s chunk lease, so the lease held at the kill runs
  // out while the database is away.
  int not_serving_in_a_row = 0;
  const bool noticed = harness::WaitFor(
      [&] {
        absl::StatusOr<harness::ServingStatus> health = stack.server().CheckHealth(absl::Seconds(2));
        const bool down = health.ok() && *health != harness::ServingStatus::kServing;
        not_serving_in_a_row = down ? not_serving_in_a_row + 1 : 0;
        return not_serving_in_a_row >= kOutageChecks;
      },
      absl::Minutes(1), absl::Milliseconds(200));
  report.Add("license-server reported NOT_SERVING while MariaDB was down", noticed ? "yes" : "no");
  EXPECT_TRUE(noticed) << "health did not follow the database";
  report.Add("processed while MariaDB was down", watch->events().back().processed());
  ASSERT_TRUE(stack.private_db()->Restart().ok());
  report.AddDuration("MariaDB away (kill -9 until it answers again)", absl::Now() - killed);

  absl::StatusOr<licensing::v1::SyncJob> job = WaitForJobToEnd(*stack.stub(), job_id, absl::Minutes(5));
  ASSERT_TRUE(job.ok()) << job.status();
  report.AddDuration("job, start to end", absl::Now() - job_start);
  const SyncProgress& p = job->progress();
  report.Add("job totals: total / processed / in sync / not in sync / errors / skipped", p.total(), " / ",
             p.processed(), " / ", p.in_sync(), " / ", p.not_in_sync(), " / ", p.errors(), " / ", p.skipped());
  // The caller's stream outlived the outage and ends with the final event.
  EXPECT_TRUE(watch->WaitForEvent(
      [](const SyncProgress& e) { return e.state() == licensing::v1::SYNC_JOB_STATE_SUCCEEDED; }, absl::Minutes(1)))
      << "the SyncAll stream ended " << (watch->ended() ? CodeName(watch->ended()->error_code()) : "not")
      << " without the final event";
  report.Add("the caller's SyncAll stream", "got the final SUCCEEDED event, ", watch->events().size(),
             " progress events in all");
  EXPECT_TRUE(truth.CleanJobMatches(p)) << "the job cut by the crash";

  // Health follows the database: back to SERVING without a restart.
  EXPECT_TRUE(harness::WaitFor(
      [&] {
        absl::StatusOr<harness::ServingStatus> health = stack.server().CheckHealth(absl::Seconds(2));
        return health.ok() && *health == harness::ServingStatus::kServing;
      },
      absl::Minutes(1)));
  // The job alone left every license as the ground truth says.
  absl::StatusOr<std::vector<licensing::v1::License>> licenses = ListAllLicenses(*stack.stub());
  ASSERT_TRUE(licenses.ok()) << licenses.status();
  EXPECT_TRUE(truth.StatusesExact(*licenses)) << "after the job cut by the crash";

  CheckFinalInvariants(*stack.stub(), stack.ka(), truth, report);
}

}  // namespace
}  // namespace lss::reliability
