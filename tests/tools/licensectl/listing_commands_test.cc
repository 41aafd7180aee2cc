// history, jobs and daily-runs against the in-process fake: their tables,
// their empty answers, paging as `list` pages (--page-size, the "more:"
// line, --page-token, --all), --json parsed back, and their usage errors.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "fake_job_service.h"

namespace licensectl {
namespace {

using testing::FakeJobServer;
using testing::Job;
using testing::Outcome;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

licensing::v1::DailyRun RunOf(const std::string& date) {
  licensing::v1::DailyRun run;
  run.set_run_id(absl::StrCat("run-", date));
  run.set_run_date(date);
  run.set_state(licensing::v1::DAILY_RUN_STATE_SUCCEEDED);
  run.mutable_start_time()->set_seconds(1768442400);  // 2026-01-15 02:00:00 UTC
  run.mutable_end_time()->set_seconds(1768442400 + 600);
  licensing::v1::DailyRunPhase* sync = run.add_phases();
  sync->set_kind(licensing::v1::DAILY_RUN_PHASE_KIND_SYNC);
  sync->set_state(licensing::v1::DAILY_RUN_STATE_SUCCEEDED);
  sync->set_processed(300);
  sync->set_succeeded(299);
  sync->set_failed(1);
  sync->set_job_id("job-7");
  licensing::v1::DailyRunFailure* failure = sync->add_failures();
  failure->set_license_id(7);
  failure->set_key_number("PLSK.00000007.0000");
  failure->set_error("KA unavailable");
  licensing::v1::DailyRunPhase* renew = run.add_phases();
  renew->set_kind(licensing::v1::DAILY_RUN_PHASE_KIND_RENEW);
  renew->set_state(licensing::v1::DAILY_RUN_STATE_FAILED);
  renew->set_error("database unavailable");
  return run;
}

class ListingCommandsTest : public ::testing::Test {
 protected:
  FakeJobServer server_;
};

TEST_F(ListingCommandsTest, HistoryShowsEachSyncNewestFirst) {
  const Outcome run = server_.Run({"history", "7"});
  EXPECT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_EQ(run.out,
            "SYNCED AT                KEY NUMBER          KA KEY NUMBER       STATUS       JOB    RESULT\n"
            "2026-01-15 10:00:00 UTC  PLSK.00000007.0000  PLSK.00000007.0000  In Sync      job-1  -\n"
            "2026-01-14 10:00:00 UTC  PLSK.00000007.0000  PLSK.00000007.0000  Not In Sync  -      "
            "capacity changed (billing 100, KA 300)\n"
            "2026-01-13 10:00:00 UTC  PLSK.00000007.0000  -                   Error        -      "
            "KA unavailable: deadline exceeded\n");
  EXPECT_EQ(server_.service().last_history_request().license_id(), 7);
}

TEST_F(ListingCommandsTest, HistoryNamesTheLicenseAsGetDoes) {
  EXPECT_EQ(server_.Run({"history", "PLSK.00000007"}).code, ExitCode::kSuccess);
  EXPECT_EQ(server_.service().last_history_request().key_number(), "PLSK.00000007");
  EXPECT_EQ(server_.Run({"history", "--id", "7"}).code, ExitCode::kSuccess);
  EXPECT_EQ(server_.service().last_history_request().license_id(), 7);

  Outcome run = server_.Run({"history"});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, AllOf(HasSubstr("which license?"), HasSubstr("Usage: licensectl history")));
  run = server_.Run({"history", "8"});
  EXPECT_EQ(run.code, ExitCode::kCallFailed);
  EXPECT_THAT(run.err, HasSubstr("error: NOT_FOUND"));
}

TEST_F(ListingCommandsTest, HistoryPagesAsListDoes) {
  Outcome run = server_.Run({"history", "7", "--page-size", "2"});
  EXPECT_EQ(run.code, ExitCode::kSuccess);
  EXPECT_THAT(run.out, AllOf(HasSubstr("job-1"), HasSubstr("capacity changed"), Not(HasSubstr("KA unavailable")),
                             HasSubstr("\nmore: --page-token 2\n")));
  EXPECT_EQ(server_.service().last_history_request().page_size(), 2);

  run = server_.Run({"history", "7", "--page-token", "2"});
  EXPECT_THAT(run.out, AllOf(HasSubstr("KA unavailable"), Not(HasSubstr("job-1")), Not(HasSubstr("more:"))));

  run = server_.Run({"--json", "history", "7", "--all", "--page-size", "1"});
  EXPECT_EQ(run.code, ExitCode::kSuccess);
  licensing::v1::ListSyncHistoryResponse parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(run.out, &parsed).ok()) << run.out;
  ASSERT_EQ(parsed.entries_size(), 3) << "every page, gathered";
  EXPECT_THAT(parsed.next_page_token(), IsEmpty());
  EXPECT_EQ(parsed.entries(1).mismatches(0).ka_value(), "300");

  run = server_.Run({"history", "7", "--page-size", "-1"});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, HasSubstr("--page-size must be a whole number from 0 (the server's default) up; got '-1'"));
}

TEST_F(ListingCommandsTest, JobsShowsStateScopeCountsAndTimes) {
  licensing::v1::SyncJob scoped = Job("job-2", licensing::v1::SYNC_JOB_STATE_RUNNING, 20, 5);
  scoped.mutable_scope()->set_license_class("PLESK_WEB_PRO");
  scoped.mutable_scope()->set_sync_status(licensing::v1::SYNC_STATUS_NOT_IN_SYNC);
  server_.service().set_jobs({scoped, Job("job-1", licensing::v1::SYNC_JOB_STATE_SUCCEEDED, 300, 300)});
  const Outcome run = server_.Run({"jobs"});
  EXPECT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_EQ(run.out,
            "JOB ID  STATE      SCOPE                                                STARTED BY  TOTAL  PROCESSED  "
            "IN SYNC  NOT IN SYNC  ERRORS  SKIPPED  STARTED                  ENDED\n"
            "job-2   RUNNING    status=not-in-sync,state=active,class=PLESK_WEB_PRO  alice          20          5  "
            "      5            0       0        0  2026-01-15 10:00:00 UTC  -\n"
            "job-1   SUCCEEDED  state=active                                         alice         300        300  "
            "    300            0       0        0  2026-01-15 10:00:00 UTC  2026-01-15 10:01:30 UTC\n");
}

TEST_F(ListingCommandsTest, JobsFiltersByStateAndPages) {
  server_.service().set_jobs({Job("job-3", licensing::v1::SYNC_JOB_STATE_RUNNING, 1, 0),
                              Job("job-2", licensing::v1::SYNC_JOB_STATE_CANCELLED, 1, 0),
                              Job("job-1", licensing::v1::SYNC_JOB_STATE_CANCELLED, 1, 0)});
  Outcome run = server_.Run({"jobs", "--state", "cancelled", "--page-size", "1"});
  EXPECT_EQ(run.code, ExitCode::kSuccess);
  EXPECT_EQ(server_.service().last_jobs_request().state(), licensing::v1::SYNC_JOB_STATE_CANCELLED);
  EXPECT_THAT(run.out, AllOf(HasSubstr("job-2"), Not(HasSubstr("job-1")), Not(HasSubstr("job-3")),
                             HasSubstr("more: --page-token 1\n")));

  run = server_.Run({"--json", "jobs", "--all", "--page-size", "1"});
  licensing::v1::ListSyncJobsResponse parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(run.out, &parsed).ok()) << run.out;
  EXPECT_EQ(parsed.jobs_size(), 3);
  EXPECT_EQ(parsed.jobs(0).job_id(), "job-3");

  run = server_.Run({"jobs", "--state", "paused"});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, HasSubstr("--state must be one of running, succeeded, cancelled, failed; got 'paused'"));
  EXPECT_EQ(server_.Run({"jobs", "job-1"}).code, ExitCode::kUsageError);
}

TEST_F(ListingCommandsTest, NoJobsSaysSo) {
  Outcome run = server_.Run({"jobs"});
  EXPECT_EQ(run.code, ExitCode::kSuccess);
  EXPECT_EQ(run.out, "No sync jobs found.\n");
  run = server_.Run({"jobs", "--json"});
  licensing::v1::ListSyncJobsResponse parsed;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(run.out, &parsed).ok()) << run.out;
  EXPECT_THAT(run.out, HasSubstr("\"jobs\": []"));
}

TEST_F(ListingCommandsTest, DailyRunsShowEachPhaseAndTheFailures) {
  server_.service().set_daily_runs({RunOf("2026-01-15")});
  const Outcome run = server_.Run({"daily-runs"});
  EXPECT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_EQ(run.out,
            "RUN DATE    RUN STATE  PHASE  PHASE STATE  PROCESSED  SUCCEEDED  FAILED  STARTED  ENDED  JOB\n"
            "2026-01-15  SUCCEEDED  SYNC   SUCCEEDED          300        299       1  -        -      job-7\n"
            "2026-01-15  SUCCEEDED  RENEW  FAILED               0          0       0  -        -      -\n"
            "\n"
            "Failures:\n"
            "  2026-01-15 SYNC  license 7 (PLSK.00000007.0000): KA unavailable\n"
            "  2026-01-15 RENEW  phase failed: database unavailable\n");
}

TEST_F(ListingCommandsTest, DailyRunsPageAndPrintJson) {
  server_.service().set_daily_runs({RunOf("2026-01-15"), RunOf("2026-01-14")});
  Outcome run = server_.Run({"daily-runs", "--page-size", "1"});
  EXPECT_THAT(run.out, AllOf(HasSubstr("2026-01-15"), Not(HasSubstr("2026-01-14")), HasSubstr("more: --page-token 1")));
  run = server_.Run({"daily-runs", "--json", "--all", "--page-size", "1"});
  licensing::v1::ListDailyRunsResponse parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(run.out, &parsed).ok()) << run.out;
  ASSERT_EQ(parsed.daily_runs_size(), 2);
  EXPECT_EQ(parsed.daily_runs(1).phases(0).failures(0).license_id(), 7);
}

TEST_F(ListingCommandsTest, NoDailyRunsSaysSo) {
  Outcome run = server_.Run({"daily-runs"});
  EXPECT_EQ(run.code, ExitCode::kSuccess);
  EXPECT_EQ(run.out, "No daily runs found.\n");
  EXPECT_EQ(server_.Run({"daily-runs", "yesterday"}).code, ExitCode::kUsageError);
}

TEST_F(ListingCommandsTest, EveryListingHasHelp) {
  for (const char* command : {"history", "jobs", "daily-runs"}) {
    const Outcome run = server_.Run({command, "--help"});
    EXPECT_EQ(run.code, ExitCode::kSuccess);
    EXPECT_THAT(run.out, AllOf(HasSubstr("--page-size N"), HasSubstr("--page-token TOKEN"), HasSubstr("--all"),
                               HasSubstr("more: --page-token TOKEN"), HasSubstr("Exits 0")))
        << command;
  }
}

}  // namespace
}  // namespace licensectl
