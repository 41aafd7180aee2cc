// (d) Two replicas sharing one SyncAll job, one killed (kill -9) while it
// holds a chunk's lease: the survivor must take the chunk over once the
// lease runs out and finish the job with every license counted once and
// judged right; the killed replica, restarted, rejoins. Both ways of
// reading KA: ListKeys pages and GetKeyInfo per license.
#include <gtest/gtest.h>

#include "absl/strings/numbers.h"
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

class ReplicaKillTest : public ::testing::TestWithParam<bool> {
 protected:
  bool bulk() const { return GetParam(); }
};

INSTANTIATE_TEST_SUITE_P(ReadingKa, ReplicaKillTest, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "ListKeysPages" : "GetKeyInfoPerLicense";
                         });

int64_t Count(const ReliabilityStack& stack, const std::string& sql) {
  absl::StatusOr<std::string> value = stack.QueryScalar(sql);
  int64_t count = -1;
  if (value.ok() && !absl::SimpleAtoi(*value, &count)) count = -1;
  return count;
}

// The job's shape; with ListKeys pages, both replicas look for work every
// 10 ms: a replica re-claims the next page as soon as it committed its own,
// so the other one gets a page only if its poll lands in that short window,
// and at 100 ms a quick job could run to its end on one replica. (Range
// chunks are claimed side by side anyway; polling faster there only
// shortens the job the test has to catch in the act.)
std::vector<std::string> ReplicaArgs(const Scale& scale, bool bulk) {
  std::vector<std::string> args = JobShapeArgs(scale, bulk);
  if (bulk) args.push_back("--sync-poll-interval=10ms");
  return args;
}

TEST_P(ReplicaKillTest, TheSurvivorTakesOverTheDeadReplicasChunkAndFinishesTheJob) {
  const Scale& scale = CurrentScale();
  ScenarioReport report(absl::StrCat("(d) two replicas share a SyncAll job, one killed (kill -9), ",
                                     bulk() ? "ListKeys pages" : "GetKeyInfo per license"));
  absl::StatusOr<std::unique_ptr<ReliabilityStack>> started =
      ReliabilityStack::Start({.name = "rel-replicas",
                               .licenses = scale.sync_licenses,
                               .private_mariadb = false,
                               .server_args = ReplicaArgs(scale, bulk())});
  ASSERT_TRUE(started.ok()) << started.status();
  ReliabilityStack& stack = **started;
  absl::StatusOr<std::unique_ptr<harness::LicenseServerProcess>> replica_b = stack.StartReplica("replica-b");
  ASSERT_TRUE(replica_b.ok()) << replica_b.status();
  std::shared_ptr<licensing::v1::LicenseService::Stub> stub_b =
      licensing::v1::LicenseService::NewStub((*replica_b)->NewChannel());
  report.Add("licenses", stack.imported().size());
  report.Add("job shape", bulk() ? absl::StrCat("ListKeys pages of ", scale.ka_page_size, " keys")
                                 : absl::StrCat("GetKeyInfo per license, chunks of ", scale.sync_chunk_size),
             ", KA latency ", scale.ka_latency_ms, " ms, leases of 2 s");

  GroundTruth truth(stack.imported());
  ASSERT_TRUE(DriftAndSlowKa(stack, scale, truth, report).ok());

  const absl::Time job_start = absl::Now();
  // The job is started on A, the replica to be killed, whose runner is
  // woken at once: a bulk job's pages form a chain (each recorded by its
  // predecessor's commit), and the replica that commits one claims the next
  // before the other's poll comes round, so the pages are A's to hold.
  std::shared_ptr<licensing::v1::LicenseService::Stub> stub_a =
      licensing::v1::LicenseService::NewStub(stack.server().NewChannel());
  std::unique_ptr<ProgressWatch> watch = ProgressWatch::SyncAll(stub_a);
  ASSERT_TRUE(watch->WaitForEvent([](const SyncProgress&) { return true; }, absl::Minutes(1)));
  const std::string job_id = watch->job_id();
  // Kill A while it holds a lease, once a chunk is done (chunk states: 2
  // claimed, 3 done; storage/sql/sync_job_rows.h). A job that ends first
  // ends the wait too, and fails the test.
  const std::string chunks = absl::StrCat("SELECT COUNT(*) FROM sync_job_chunks WHERE job_id = '", job_id, "'");
  const std::string job_row = absl::StrCat(" FROM sync_jobs WHERE job_id = '", job_id, "'");
  auto both_working = [&] {
    return Count(stack, chunks + " AND state = 3") > 0 &&
           Count(stack, chunks + " AND owner = 'replica-a' AND state = 2") > 0;
  };
  harness::WaitFor(
      [&] {
        return both_working() ||
               Count(stack, "SELECT COUNT(*)" + job_row + " AND state = 1") == 0;
      },
      absl::Minutes(2), absl::Milliseconds(5));
  ASSERT_TRUE(both_working()) << "the job ended (or 2 minutes passed) before A held a chunk with one "
                                 "finished";
  stack.server().Kill();
  const int64_t held = Count(stack, chunks + " AND owner = 'replica-a' AND state = 2");
  report.Add("chunks replica A held under lease when killed", held);
  absl::StatusOr<licensing::v1::SyncJob> at_kill = GetSyncJob(*stub_b, job_id);
  ASSERT_TRUE(at_kill.ok()) << at_kill.status();
  report.Add("processed when replica A was killed", at_kill->progress().processed());
  report.Add("chunks finished by replica A / replica B when A was killed",
             Count(stack, chunks + " AND owner = 'replica-a' AND state = 3"), " / ",
             Count(stack, chunks + " AND owner = 'replica-b' AND state = 3"));
  EXPECT_LT(at_kill->progress().processed(), at_kill->progress().total()) << "the job was over before the fault";
  EXPECT_GE(held, 1) << "A finished its chunk between the check and the kill: no lease to take over";

  absl::StatusOr<licensing::v1::SyncJob> job = WaitForJobToEnd(*stub_b, job_id, absl::Minutes(5));
  ASSERT_TRUE(job.ok()) << job.status();
  report.AddDuration("job, start to end", absl::Now() - job_start);
  const SyncProgress& p = job->progress();
  report.Add("job totals: total / processed / in sync / not in sync / errors / skipped", p.total(), " / ",
             p.processed(), " / ", p.in_sync(), " / ", p.not_in_sync(), " / ", p.errors(), " / ", p.skipped());
  EXPECT_TRUE(truth.CleanJobMatches(p)) << "the job replica A died in";
  report.Add("chunks finished by replica A / replica B in the end", Count(stack, chunks + " AND owner = 'replica-a'"), " / ",
             Count(stack, chunks + " AND owner = 'replica-b'"));
  EXPECT_EQ(Count(stack, chunks + " AND state <> 3"), 0) << "chunks left undone";
  // Each claim of a chunk counts an attempt: A's chunk was claimed again.
  const int64_t taken_over = Count(stack, chunks + " AND attempts > 1");
  report.Add("chunks claimed more than once (taken over)", taken_over);
  EXPECT_GE(taken_over, 1) << "no chunk was taken over from the dead replica";

  absl::StatusOr<std::vector<licensing::v1::License>> licenses = ListAllLicenses(*stub_b);
  ASSERT_TRUE(licenses.ok()) << licenses.status();
  EXPECT_TRUE(truth.StatusesExact(*licenses)) << "after the job replica A died in";

  // The dead replica comes back and serves again.
  ASSERT_TRUE(stack.server().Restart().ok());
  CheckFinalInvariants(*stack.stub(), stack.ka(), truth, report);
}

}  // namespace
}  // namespace lss::reliability
