// (b) KA frozen (SIGSTOP) mid-SyncAll: KA's connections stay open and
// nothing answers, so every call in flight runs into its deadline. The job
// must pause (its progress says it waits for KA) instead of burning through
// the licenses as errors, and after SIGCONT finish with no license lost as
// an error. Both ways of reading KA: ListKeys pages and GetKeyInfo per
// license.
#include <gtest/gtest.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
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
#include "tests/reliability/scale.h"
#include "tests/reliability/scenario_report.h"

namespace lss::reliability {
namespace {

using licensing::v1::SyncProgress;

// A deadline well below the test's patience, so that the pause comes soon.
constexpr char kKaDeadline[] = "--ka-deadline=1s";
// Progress events (one per --progress-interval, 100 ms) the job must stay
// paused for before KA is thawed.
constexpr int kPausedEvents = 10;

class KaFreezeTest : public ::testing::TestWithParam<bool> {
 protected:
  bool bulk() const { return GetParam(); }
};

INSTANTIATE_TEST_SUITE_P(ReadingKa, KaFreezeTest, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "ListKeysPages" : "GetKeyInfoPerLicense";
                         });

TEST_P(KaFreezeTest, AJobPausesWhileKaHangsAndFinishesWithoutErrors) {
  const Scale& scale = CurrentScale();
  ScenarioReport report(absl::StrCat("(b) KA frozen (SIGSTOP) mid-SyncAll, ",
                                     bulk() ? "ListKeys pages" : "GetKeyInfo per license"));
  std::vector<std::string> args = JobShapeArgs(scale, bulk());
  args.push_back(kKaDeadline);
  absl::StatusOr<std::unique_ptr<ReliabilityStack>> started = ReliabilityStack::Start(
      {.name = "rel-kafreeze", .licenses = scale.sync_licenses, .private_mariadb = false, .server_args = args});
  ASSERT_TRUE(started.ok()) << started.status();
  ReliabilityStack& stack = **started;
  report.Add("licenses", stack.imported().size());
  report.Add("job shape", bulk() ? absl::StrCat("ListKeys pages of ", scale.ka_page_size, " keys")
                                 : absl::StrCat("GetKeyInfo per license, chunks of ", scale.sync_chunk_size),
             ", KA latency ", scale.ka_latency_ms, " ms, ", kKaDeadline);

  GroundTruth truth(stack.imported());
  ASSERT_TRUE(DriftAndSlowKa(stack, scale, truth, report).ok());

  const absl::Time job_start = absl::Now();
  std::unique_ptr<ProgressWatch> watch = ProgressWatch::SyncAll(stack.stub());
  ASSERT_TRUE(watch->WaitForEvent(
      [](const SyncProgress& p) { return p.processed() > 0 && p.processed() >= p.total() / 4; }, absl::Minutes(3)))
      << "the job never got a quarter through";
  const std::string job_id = watch->job_id();
  const SyncProgress at_fault = watch->events().back();
  report.Add("processed when KA was frozen", at_fault.processed());
  EXPECT_LT(at_fault.processed(), at_fault.total()) << "the job was over before the fault";

  const absl::Time frozen = absl::Now();
  stack.ka_process().Freeze();
  // Deadlines fire, the retries run out, the runner pauses and says so.
  const bool paused = watch->WaitForEvent([](const SyncProgress& p) { return p.waiting_for_key_administrator(); },
                                          absl::Minutes(2));
  const absl::Duration until_paused = absl::Now() - frozen;
  // Paused for a while (ten progress events), probing KA, counting nothing.
  auto waiting = [](const SyncProgress& p) { return p.waiting_for_key_administrator(); };
  const bool stayed_paused =
      paused && harness::WaitFor([&] { return watch->CountEvents(waiting) >= kPausedEvents || watch->ended(); },
                                 absl::Minutes(1));
  stack.ka_process().Thaw();
  ASSERT_TRUE(paused) << "no progress event said the job waits for KA";
  EXPECT_TRUE(stayed_paused);
  report.AddDuration("KA frozen until the job said it waits for KA", until_paused);
  report.AddDuration("KA frozen in all", absl::Now() - frozen);
  int64_t least = -1, most = -1, errors_paused = 0;
  for (const SyncProgress& event : watch->events()) {
    if (!event.waiting_for_key_administrator()) continue;
    least = least < 0 ? event.processed() : std::min(least, event.processed());
    most = std::max(most, event.processed());
    errors_paused = std::max(errors_paused, event.errors());
  }
  report.Add("processed while paused (first / last paused event)", least, " / ", most, ", errors ", errors_paused);
  EXPECT_EQ(errors_paused, 0) << "licenses counted as errors while KA hung";

  absl::StatusOr<licensing::v1::SyncJob> job = WaitForJobToEnd(*stack.stub(), job_id, absl::Minutes(5));
  ASSERT_TRUE(job.ok()) << job.status();
  report.AddDuration("job, start to end", absl::Now() - job_start);
  const SyncProgress& p = job->progress();
  report.Add("job totals: total / processed / in sync / not in sync / errors / skipped", p.total(), " / ",
             p.processed(), " / ", p.in_sync(), " / ", p.not_in_sync(), " / ", p.errors(), " / ", p.skipped());
  EXPECT_TRUE(truth.CleanJobMatches(p)) << "the job KA's freeze paused (errors must be 0)";
  absl::StatusOr<std::map<std::string, int64_t>> counts = stack.ka().CallCounts();
  ASSERT_TRUE(counts.ok()) << counts.status();
  report.Add("KA calls received (GetKeyInfo / ListKeys / ListKeyTypes probes)", (*counts)["GetKeyInfo"], " / ",
             (*counts)["ListKeys"], " / ", (*counts)["ListKeyTypes"]);

  absl::StatusOr<std::vector<licensing::v1::License>> licenses = ListAllLicenses(*stack.stub());
  ASSERT_TRUE(licenses.ok()) << licenses.status();
  EXPECT_TRUE(truth.StatusesExact(*licenses)) << "after the job KA's freeze paused";

  CheckFinalInvariants(*stack.stub(), stack.ka(), truth, report);
}

}  // namespace
}  // namespace lss::reliability
