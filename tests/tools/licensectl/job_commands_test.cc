// sync-all and watch against the in-process fake: how each job outcome
// prints and exits, the live bar on a terminal and plain lines elsewhere,
// JSON Lines, Ctrl-C detaching, the idle limit, --cancel, and the scope
// options reaching the request.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "licensectl/terminal.h"
#include "fake_job_service.h"
#include "terminal_safety.h"

namespace licensectl {
namespace {

using licensing::v1::SyncProgress;
using testing::FakeJobServer;
using testing::Job;
using testing::Outcome;
using testing::Progress;
using testing::ScriptedStream;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

constexpr int64_t kStart = 1768471200;  // 2026-01-15 10:00:00 UTC

SyncProgress At(SyncProgress progress, double seconds) {
  progress.mutable_update_time()->set_seconds(kStart + static_cast<int64_t>(seconds));
  progress.mutable_update_time()->set_nanos(static_cast<int32_t>((seconds - static_cast<int64_t>(seconds)) * 1e9));
  return progress;
}

SyncProgress Running(int64_t in_sync, double seconds) {
  SyncProgress progress = Progress("job-9", licensing::v1::SYNC_JOB_STATE_RUNNING, 4, in_sync, 0, 0, 0);
  progress.set_rate_per_second(2);
  progress.mutable_eta()->set_seconds(2);
  return At(progress, seconds);
}

// A job of 4 licenses: events at 0, 0.5, 1.2 s, then the end at 1.4 s with
// the given counts of not in sync and errors.
std::vector<SyncProgress> JobEndingWith(licensing::v1::SyncJobState state, int64_t not_in_sync, int64_t errors) {
  return {Running(0, 0), Running(1, 0.5), Running(2, 1.2),
          At(Progress("job-9", state, 4, 4 - not_in_sync - errors, not_in_sync, errors, 0), 1.4)};
}

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

// Presses Ctrl-C (SIGINT to this process, as a terminal sends it) once
// licensectl has shown something: it is then reading the stream.
std::function<void(const std::string&)> CtrlCOnceShown() {
  return [pressed = false](const std::string& out) mutable {
    if (pressed || out.empty()) return;
    pressed = true;
    kill(getpid(), SIGINT);
  };
}

class JobCommandsTest : public ::testing::Test {
 protected:
  void Stream(std::vector<SyncProgress> events) { server_.service().set_stream({.events = std::move(events)}); }

  FakeJobServer server_;
};

TEST_F(JobCommandsTest, SyncAllPrintsPlainLinesOncePerSecondThenTheSummaryAndExits0) {
  Stream(JobEndingWith(licensing::v1::SYNC_JOB_STATE_SUCCEEDED, 0, 0));
  const Outcome run = server_.Run({"sync-all"});
  EXPECT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_THAT(run.err, IsEmpty());
  EXPECT_THAT(Lines(run.out),
              ElementsAre("Job job-9: following its progress (Ctrl-C detaches; the job keeps running).",
                          "2026-01-15 10:00:00 UTC  RUNNING  0/4 (0%)  in sync 0  not in sync 0  errors 0  skipped 0"
                          "  2.0/s  ETA 2s",
                          // The event at 0.5 s is too soon after the first.
                          "2026-01-15 10:00:01 UTC  RUNNING  2/4 (50%)  in sync 2  not in sync 0  errors 0  skipped 0"
                          "  2.0/s  ETA 2s",
                          "2026-01-15 10:00:01 UTC  SUCCEEDED  4/4 (100%)  in sync 4  not in sync 0  errors 0"
                          "  skipped 0",
                          "Job job-9 SUCCEEDED: 4 of 4 licenses processed: 4 in sync, 0 not in sync, 0 errors, "
                          "0 skipped."));
  EXPECT_EQ(server_.service().last_sync_all_request().scope().ByteSizeLong(), 0u)
      << "no scope options: the server's default scope";
}

TEST_F(JobCommandsTest, SyncAllExitCodesFollowTheJobsOutcome) {
  Stream(JobEndingWith(licensing::v1::SYNC_JOB_STATE_SUCCEEDED, 1, 0));
  Outcome run = server_.Run({"sync-all"});
  EXPECT_EQ(run.code, ExitCode::kNotInSync);
  EXPECT_THAT(run.out, AllOf(HasSubstr("Job job-9 SUCCEEDED: 4 of 4 licenses processed: 3 in sync, 1 not in sync"),
                             HasSubstr("Not In Sync licenses: licensectl list --status not-in-sync\n")));

  Stream(JobEndingWith(licensing::v1::SYNC_JOB_STATE_SUCCEEDED, 1, 1));
  run = server_.Run({"sync-all"});
  EXPECT_EQ(run.code, ExitCode::kCallFailed) << "an incomplete verdict matters more than what was found";
  EXPECT_THAT(run.out, HasSubstr("1 error, 0 skipped.\n"));

  Stream(JobEndingWith(licensing::v1::SYNC_JOB_STATE_CANCELLED, 0, 0));
  run = server_.Run({"sync-all"});
  EXPECT_EQ(run.code, ExitCode::kCallFailed);
  EXPECT_THAT(run.out, HasSubstr("Job job-9 CANCELLED: "));
}

TEST_F(JobCommandsTest, AFailedJobShowsTheJobsError) {
  licensing::v1::SyncJob failed = Job("job-9", licensing::v1::SYNC_JOB_STATE_FAILED, 4, 2);
  failed.set_error("database unavailable");
  server_.service().set_jobs({failed});
  Stream(JobEndingWith(licensing::v1::SYNC_JOB_STATE_FAILED, 0, 0));
  const Outcome run = server_.Run({"sync-all"});
  EXPECT_EQ(run.code, ExitCode::kCallFailed);
  EXPECT_THAT(run.out, AllOf(HasSubstr("Job job-9 FAILED: "), HasSubstr("Job error: database unavailable\n")));
}

TEST_F(JobCommandsTest, OnATerminalTheBarIsRedrawnInPlaceThenEndedBeforeTheSummary) {
  ScopedTerminalOverride terminal({.is_terminal = true, .width = 120});
  Stream(JobEndingWith(licensing::v1::SYNC_JOB_STATE_SUCCEEDED, 0, 0));
  const Outcome run = server_.Run({"sync-all"});
  EXPECT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_EQ(run.out,
            "Job job-9: following its progress (Ctrl-C detaches; the job keeps running).\n"
            "\r[------------------------------] 0/4 (0%)  in sync 0  not in sync 0  errors 0  skipped 0  2.0/s  ETA 2s"
            "\r[#######-----------------------] 1/4 (25%)  in sync 1  not in sync 0  errors 0  skipped 0  2.0/s  ETA 2s"
            "\r[###############---------------] 2/4 (50%)  in sync 2  not in sync 0  errors 0  skipped 0  2.0/s  ETA 2s"
            "\r[##############################] 4/4 (100%)  in sync 4  not in sync 0  errors 0  skipped 0"
            "              \n"  // blanks over the longer line before
            "Job job-9 SUCCEEDED: 4 of 4 licenses processed: 4 in sync, 0 not in sync, 0 errors, 0 skipped.\n");
}

// A job id as a hostile server could send it: a screen clear, a C1 CSI, a
// carriage return that would rewrite the bar's line.
constexpr char kHostileJobId[] = "job-\x1b[2J\xc2\x9b" "1m\rIn Sync";
constexpr char kShownJobId[] = "job-\xEF\xBF\xBD[2J\xEF\xBF\xBD" "1m\xEF\xBF\xBDIn Sync";

TEST_F(JobCommandsTest, ServerStringsInProgressLinesAndTheSummaryLoseTheirControls) {
  std::vector<SyncProgress> events = JobEndingWith(licensing::v1::SYNC_JOB_STATE_SUCCEEDED, 0, 0);
  for (SyncProgress& event : events) event.set_job_id(kHostileJobId);
  Stream(events);
  const Outcome run = server_.Run({"sync-all"});
  EXPECT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_TRUE(testing::IsTerminalSafe(run.out)) << "not a terminal: no '\\r' either";
  EXPECT_THAT(run.out, AllOf(StartsWith(absl::StrCat("Job ", kShownJobId, ": following its progress")),
                             HasSubstr(absl::StrCat("Job ", kShownJobId, " SUCCEEDED: "))));
}

TEST_F(JobCommandsTest, OnATerminalOnlyTheBarsOwnCarriageReturnsReachIt) {
  ScopedTerminalOverride terminal({.is_terminal = true, .width = 120});
  std::vector<SyncProgress> events = JobEndingWith(licensing::v1::SYNC_JOB_STATE_SUCCEEDED, 0, 0);
  for (SyncProgress& event : events) event.set_job_id(kHostileJobId);
  Stream(events);
  const Outcome run = server_.Run({"sync-all"});
  EXPECT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\r'), 4) << "one per redraw: " << run.out;
  std::string without_redraws = run.out;
  without_redraws.erase(std::remove(without_redraws.begin(), without_redraws.end(), '\r'), without_redraws.end());
  EXPECT_TRUE(testing::IsTerminalSafe(without_redraws));
  EXPECT_THAT(run.out, StartsWith(absl::StrCat("Job ", kShownJobId, ": following its progress")));
}

TEST_F(JobCommandsTest, JsonPrintsOneSyncAllResponsePerEventAndNothingElse) {
  Stream(JobEndingWith(licensing::v1::SYNC_JOB_STATE_SUCCEEDED, 1, 0));
  const Outcome run = server_.Run({"--json", "sync-all"});
  EXPECT_EQ(run.code, ExitCode::kNotInSync) << "--json changes the output, not the exit code";
  const std::vector<std::string> lines = Lines(run.out);
  ASSERT_EQ(lines.size(), 4u) << run.out << " -- every event, not rate-limited";
  for (size_t i = 0; i < lines.size(); ++i) {
    licensing::v1::SyncAllResponse event;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(lines[i], &event).ok()) << lines[i];
    EXPECT_EQ(event.progress().job_id(), "job-9");
    EXPECT_EQ(event.progress().processed(),
              JobEndingWith(licensing::v1::SYNC_JOB_STATE_SUCCEEDED, 1, 0)[i].processed());
  }
  EXPECT_THAT(lines.back(),
              AllOf(HasSubstr("\"state\":\"SYNC_JOB_STATE_SUCCEEDED\""), HasSubstr("\"not_in_sync\":\"1\"")));
}

TEST_F(JobCommandsTest, ScopeOptionsMakeTheRequestsScope) {
  Stream(JobEndingWith(licensing::v1::SYNC_JOB_STATE_SUCCEEDED, 0, 0));
  const Outcome run = server_.Run({"sync-all", "--status", "not-in-sync", "--state", "active", "--class",
                                   "PLESK_WEB_PRO", "--prefix", "PLSK.", "--usable-until-before", "2026-03-01"});
  EXPECT_EQ(run.code, ExitCode::kSuccess) << run.err;
  const licensing::v1::LicenseFilter scope = server_.service().last_sync_all_request().scope();
  EXPECT_EQ(scope.sync_status(), licensing::v1::SYNC_STATUS_NOT_IN_SYNC);
  EXPECT_EQ(scope.state(), licensing::v1::LICENSE_STATE_ACTIVE);
  EXPECT_EQ(scope.license_class(), "PLESK_WEB_PRO");
  EXPECT_EQ(scope.key_number_prefix(), "PLSK.");
  EXPECT_EQ(scope.usable_until_before().seconds(), 1772323200);  // 2026-03-01 00:00:00 UTC
}

TEST_F(JobCommandsTest, BadScopeOrArgumentsExit2WithoutACall) {
  Outcome run = server_.Run({"sync-all", "--status", "sideways"});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, AllOf(HasSubstr("--status must be one of in-sync, not-in-sync, never-synced"),
                             HasSubstr("Usage: licensectl sync-all")));
  run = server_.Run({"sync-all", "--usable-until-before", "next week"});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, HasSubstr("--usable-until-before must be a UTC date"));
  run = server_.Run({"sync-all", "everything"});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  run = server_.Run({"sync-all", "--cancel", "--prefix", "PLSK."});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, HasSubstr("--cancel takes no scope options"));
  EXPECT_THAT(server_.service().cancelled_job_ids(), IsEmpty());
}

TEST_F(JobCommandsTest, AStreamErrorExits1WithTheServersError) {
  server_.service().set_stream(
      {.status = grpc::Status(grpc::StatusCode::ABORTED, "another SyncAll job (job-3) is running")});
  const Outcome run = server_.Run({"sync-all", "--prefix", "PLSK."});
  EXPECT_EQ(run.code, ExitCode::kCallFailed);
  EXPECT_THAT(run.err, HasSubstr("error: ABORTED: another SyncAll job (job-3) is running"));
}

TEST_F(JobCommandsTest, AStreamEndingBeforeTheJobExits1AndSaysHowToFollowIt) {
  server_.service().set_stream({.events = {Running(0, 0)}});
  const Outcome run = server_.Run({"sync-all"});
  EXPECT_EQ(run.code, ExitCode::kCallFailed);
  EXPECT_THAT(run.err, HasSubstr("the progress stream ended before the job did"));
  EXPECT_THAT(run.out, HasSubstr("job job-9 may still be running; follow it with: licensectl watch job-9\n"));
}

TEST_F(JobCommandsTest, NoEventForTheTimeoutCancelsTheStreamAndExits1) {
  server_.service().set_stream({.events = {Running(0, 0)}, .hold_open = true});
  const Outcome run = server_.Run({"--timeout", "1", "sync-all"});
  EXPECT_EQ(run.code, ExitCode::kCallFailed);
  EXPECT_THAT(run.err, AllOf(HasSubstr("error: DEADLINE_EXCEEDED: no progress from the server for 1s"),
                             HasSubstr("--timeout SECONDS waits longer")));
  EXPECT_TRUE(server_.service().WaitForStreamCancelledByClient());
}

TEST_F(JobCommandsTest, CtrlCDetachesWithoutCancellingTheJob) {
  server_.service().set_jobs({Job("job-9", licensing::v1::SYNC_JOB_STATE_RUNNING, 4, 0)});
  server_.service().set_stream({.events = {Running(0, 0)}, .hold_open = true});
  const Outcome run = server_.Run({"sync-all"}, CtrlCOnceShown());
  EXPECT_EQ(run.code, ExitCode::kDetached);
  EXPECT_THAT(run.out, HasSubstr("\ndetached; job job-9 keeps running; follow it with: licensectl watch job-9\n"));
  EXPECT_THAT(run.err, IsEmpty());
  EXPECT_TRUE(server_.service().WaitForStreamCancelledByClient()) << "the call was cancelled";
  EXPECT_THAT(server_.service().cancelled_job_ids(), IsEmpty()) << "the job was not";
}

TEST_F(JobCommandsTest, CtrlCWithJsonKeepsStdoutJsonLines) {
  server_.service().set_jobs({Job("job-9", licensing::v1::SYNC_JOB_STATE_RUNNING, 4, 0)});
  server_.service().set_stream({.events = {Running(0, 0)}, .hold_open = true});
  // With --json, stdout holds JSON lines only: the notice goes to stderr.
  const Outcome run = server_.Run({"--json", "watch", "job-9"}, CtrlCOnceShown());
  const std::string notice = run.err;
  EXPECT_EQ(run.code, ExitCode::kDetached);
  ASSERT_EQ(Lines(run.out).size(), 1u) << run.out;
  licensing::v1::WatchSyncJobResponse event;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(Lines(run.out)[0], &event).ok());
  EXPECT_EQ(notice, "detached; job job-9 keeps running; follow it with: licensectl watch job-9\n");
}

TEST_F(JobCommandsTest, CancelCancelsTheRunningJob) {
  server_.service().set_jobs({Job("job-8", licensing::v1::SYNC_JOB_STATE_SUCCEEDED, 4, 4),
                              Job("job-9", licensing::v1::SYNC_JOB_STATE_RUNNING, 4, 1)});
  Outcome run = server_.Run({"sync-all", "--cancel"});
  EXPECT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_THAT(server_.service().cancelled_job_ids(), ElementsAre("job-9"));
  EXPECT_EQ(server_.service().last_jobs_request().state(), licensing::v1::SYNC_JOB_STATE_RUNNING);
  EXPECT_THAT(run.out, StartsWith("Job job-9 CANCELLED: 1 of 4 licenses processed: 1 in sync"));

  run = server_.Run({"sync-all", "--cancel"});
  EXPECT_EQ(run.code, ExitCode::kSuccess) << "nothing to cancel is not an error";
  EXPECT_EQ(run.out, "No SyncAll job is running; nothing to cancel.\n");
  run = server_.Run({"--json", "sync-all", "--cancel"});
  EXPECT_EQ(run.out, "{}\n");
  EXPECT_THAT(server_.service().cancelled_job_ids(), ElementsAre("job-9"));
}

TEST_F(JobCommandsTest, CancelWithJsonPrintsTheCancelSyncJobResponse) {
  server_.service().set_jobs({Job("job-9", licensing::v1::SYNC_JOB_STATE_RUNNING, 4, 1)});
  const Outcome run = server_.Run({"--json", "sync-all", "--cancel"});
  EXPECT_EQ(run.code, ExitCode::kSuccess) << run.err;
  licensing::v1::CancelSyncJobResponse response;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(run.out, &response).ok()) << run.out;
  EXPECT_EQ(response.job().job_id(), "job-9");
  EXPECT_EQ(response.job().state(), licensing::v1::SYNC_JOB_STATE_CANCELLED);
}

TEST_F(JobCommandsTest, WatchShowsAJobExactlyAsSyncAllDoes) {
  server_.service().set_jobs({Job("job-9", licensing::v1::SYNC_JOB_STATE_RUNNING, 4, 0)});
  Stream(JobEndingWith(licensing::v1::SYNC_JOB_STATE_SUCCEEDED, 1, 0));
  const Outcome sync_all = server_.Run({"sync-all"});
  const Outcome watch = server_.Run({"watch", "job-9"});
  EXPECT_EQ(watch.code, ExitCode::kNotInSync);
  EXPECT_EQ(watch.code, sync_all.code);
  EXPECT_EQ(watch.out, sync_all.out);
  EXPECT_THAT(watch.out, HasSubstr("Job job-9 SUCCEEDED"));

  ScopedTerminalOverride terminal({.is_terminal = true, .width = 120});
  EXPECT_EQ(server_.Run({"watch", "job-9"}).out, server_.Run({"sync-all"}).out);
}

TEST_F(JobCommandsTest, WatchOfAnEndedJobPrintsItsEndAtOnce) {
  server_.service().set_jobs({Job("job-9", licensing::v1::SYNC_JOB_STATE_SUCCEEDED, 4, 4)});
  Stream({At(Progress("job-9", licensing::v1::SYNC_JOB_STATE_SUCCEEDED, 4, 4, 0, 0, 0), 90)});
  const Outcome run = server_.Run({"watch", "job-9"});
  EXPECT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_EQ(run.out,
            "2026-01-15 10:01:30 UTC  SUCCEEDED  4/4 (100%)  in sync 4  not in sync 0  errors 0  skipped 0\n"
            "Job job-9 SUCCEEDED: 4 of 4 licenses processed: 4 in sync, 0 not in sync, 0 errors, 0 skipped.\n");
}

TEST_F(JobCommandsTest, WatchJsonPrintsWatchSyncJobResponses) {
  server_.service().set_jobs({Job("job-9", licensing::v1::SYNC_JOB_STATE_RUNNING, 4, 0)});
  Stream(JobEndingWith(licensing::v1::SYNC_JOB_STATE_SUCCEEDED, 0, 0));
  const Outcome run = server_.Run({"watch", "job-9", "--json"});
  EXPECT_EQ(run.code, ExitCode::kSuccess);
  const std::vector<std::string> lines = Lines(run.out);
  ASSERT_EQ(lines.size(), 4u);
  licensing::v1::WatchSyncJobResponse last;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(lines.back(), &last).ok());
  EXPECT_EQ(last.progress().state(), licensing::v1::SYNC_JOB_STATE_SUCCEEDED);
}

TEST_F(JobCommandsTest, WatchNeedsOneKnownJob) {
  Outcome run = server_.Run({"watch"});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, AllOf(HasSubstr("which job?"), HasSubstr("Usage: licensectl watch JOB_ID")));
  run = server_.Run({"watch", "job-1", "job-2"});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  run = server_.Run({"watch", "job-404"});
  EXPECT_EQ(run.code, ExitCode::kCallFailed);
  EXPECT_THAT(run.err, HasSubstr("error: NOT_FOUND: no job job-404"));
  EXPECT_THAT(run.out, IsEmpty());
}

TEST_F(JobCommandsTest, HelpDocumentsJsonLinesDetachAndExitCodes) {
  for (const char* command : {"sync-all", "watch"}) {
    const Outcome run = server_.Run({command, "--help"});
    EXPECT_EQ(run.code, ExitCode::kSuccess);
    EXPECT_THAT(run.out, AllOf(HasSubstr("JSON Lines"), HasSubstr("Ctrl-C"), HasSubstr("130"),
                               HasSubstr("Exits 0 when the job succeeded"), Not(HasSubstr("not written yet"))))
        << command;
  }
  EXPECT_THAT(server_.Run({"sync-all", "--help"}).out,
              AllOf(HasSubstr("--cancel"), HasSubstr("--usable-until-before DATE"), HasSubstr("--prefix KEY_PREFIX")));
}

}  // namespace
}  // namespace licensectl
