// What ends sync-all and watch (the summary, its hints, counts in words),
// the exit code a job's outcome gives, and the scope as `jobs` shows it.
#include "licensectl/job_printer.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "licensectl/job_follower.h"
#include "licensectl/license_filter_options.h"
#include "fake_job_service.h"

namespace licensectl {
namespace {

using testing::Progress;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(RenderJobSummaryTest, StateCountsAndWhereToLookNext) {
  EXPECT_EQ(RenderJobSummary(Progress("job-1", licensing::v1::SYNC_JOB_STATE_SUCCEEDED, 1, 1, 0, 0, 0), ""),
            "Job job-1 SUCCEEDED: 1 of 1 license processed: 1 in sync, 0 not in sync, 0 errors, 0 skipped.\n");
  EXPECT_EQ(RenderJobSummary(Progress("job-1", licensing::v1::SYNC_JOB_STATE_SUCCEEDED, 10, 6, 2, 1, 1), ""),
            "Job job-1 SUCCEEDED: 10 of 10 licenses processed: 6 in sync, 2 not in sync, 1 error, 1 skipped.\n"
            "Not In Sync licenses: licensectl list --status not-in-sync\n"
            "Licenses whose sync failed kept their status; 'licensectl get ID' shows the last sync error.\n");
  EXPECT_THAT(RenderJobSummary(Progress("job-1", licensing::v1::SYNC_JOB_STATE_FAILED, 10, 2, 0, 0, 0), "disk full"),
              HasSubstr("Job job-1 FAILED: 2 of 10 licenses processed: 2 in sync, 0 not in sync, 0 errors, 0 skipped.\n"
                        "Job error: disk full\n"));
}

TEST(JobExitCodeTest, SuccessNotInSyncOrIncomplete) {
  using licensing::v1::SYNC_JOB_STATE_CANCELLED;
  using licensing::v1::SYNC_JOB_STATE_FAILED;
  using licensing::v1::SYNC_JOB_STATE_SUCCEEDED;
  EXPECT_EQ(JobExitCode(Progress("j", SYNC_JOB_STATE_SUCCEEDED, 3, 2, 0, 0, 1)), ExitCode::kSuccess)
      << "skipped licenses are not errors";
  EXPECT_EQ(JobExitCode(Progress("j", SYNC_JOB_STATE_SUCCEEDED, 3, 2, 1, 0, 0)), ExitCode::kNotInSync);
  EXPECT_EQ(JobExitCode(Progress("j", SYNC_JOB_STATE_SUCCEEDED, 3, 1, 1, 1, 0)), ExitCode::kCallFailed);
  EXPECT_EQ(JobExitCode(Progress("j", SYNC_JOB_STATE_CANCELLED, 3, 1, 0, 0, 0)), ExitCode::kCallFailed);
  EXPECT_EQ(JobExitCode(Progress("j", SYNC_JOB_STATE_FAILED, 3, 3, 0, 0, 0)), ExitCode::kCallFailed);
}

TEST(DescribeLicenseFilterTest, TheOptionsWordsWithoutBlanks) {
  licensing::v1::LicenseFilter filter;
  EXPECT_EQ(DescribeLicenseFilter(filter), "all");
  filter.set_sync_status(licensing::v1::SYNC_STATUS_NEVER_SYNCED);
  filter.set_state(licensing::v1::LICENSE_STATE_EXPIRED);
  filter.set_license_class("VZ_CONTAINERS");
  filter.set_key_number_prefix("VZ.");
  filter.mutable_usable_until_before()->set_seconds(1772323200);
  EXPECT_EQ(DescribeLicenseFilter(filter),
            "status=never-synced,state=expired,class=VZ_CONTAINERS,prefix=VZ.,"
            "usable-until-before=2026-03-01T00:00:00Z");
}

TEST(ParseLicenseFilterTest, DatesAndTimesInUtc) {
  OptionValues options;
  options.Add("usable-until-before", "2026-03-01T12:30:00+02:00");
  absl::StatusOr<licensing::v1::LicenseFilter> filter = ParseLicenseFilter(options);
  ASSERT_TRUE(filter.ok()) << filter.status();
  EXPECT_EQ(filter->usable_until_before().seconds(), 1772323200 + 10 * 3600 + 30 * 60);
  EXPECT_FALSE(HasLicenseFilterOption(OptionValues()));
  EXPECT_TRUE(HasLicenseFilterOption(options));

  OptionValues bad;
  bad.Add("state", "gone");
  EXPECT_THAT(std::string(ParseLicenseFilter(bad).status().message()),
              HasSubstr("--state must be one of active, expired, terminated; got 'gone'"));
}

TEST(RenderJobTableTest, HeaderEvenWithoutJobs) {
  EXPECT_THAT(RenderJobTable({}), HasSubstr("JOB ID  STATE  SCOPE"));
  EXPECT_THAT(RenderJobTable({}), Not(HasSubstr("\n\n")));
}

}  // namespace
}  // namespace licensectl
