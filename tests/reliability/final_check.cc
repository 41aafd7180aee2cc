#include "tests/reliability/final_check.h"

#include <gtest/gtest.h>

#include "absl/time/clock.h"
#include "tests/reliability/job_waits.h"
#include "tests/reliability/license_reads.h"

namespace lss::reliability {

void CheckFinalInvariants(licensing::v1::LicenseService::Stub& stub, KaMockClient& ka, const GroundTruth& truth,
                          ScenarioReport& report) {
  ASSERT_TRUE(ka.ClearFaults().ok());
  // A final SyncAll must start a job of its own, not attach to a leftover.
  ASSERT_TRUE(WaitForNoRunningJob(stub, absl::Minutes(5))) << "a SyncAll job is still running";

  const absl::Time start = absl::Now();
  absl::StatusOr<licensing::v1::SyncProgress> final_job = SyncAllToTheEnd(stub, absl::Minutes(10));
  ASSERT_TRUE(final_job.ok()) << final_job.status();
  report.AddDuration("final clean SyncAll", absl::Now() - start);
  report.Add("final job: in sync / not in sync / errors / skipped",
             final_job->in_sync(), " / ", final_job->not_in_sync(), " / ", final_job->errors(), " / ",
             final_job->skipped());
  EXPECT_TRUE(truth.CleanJobMatches(*final_job));

  absl::StatusOr<std::vector<licensing::v1::License>> licenses = ListAllLicenses(stub);
  ASSERT_TRUE(licenses.ok()) << licenses.status();
  EXPECT_TRUE(truth.StatusesExact(*licenses));
  report.Add("licenses checked against the ground truth", licenses->size(), " (", truth.ExpectedNotInSync(),
             " expected Not In Sync)");

  absl::StatusOr<std::vector<licensing::v1::SyncJob>> jobs = ListAllSyncJobs(stub);
  ASSERT_TRUE(jobs.ok()) << jobs.status();
  for (const licensing::v1::SyncJob& job : *jobs) {
    EXPECT_TRUE(truth.JobCoveredEveryLicense(job.progress()));
    absl::StatusOr<licensing::v1::SyncJob> got = GetSyncJob(stub, job.job_id());
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_TRUE(truth.JobCoveredEveryLicense(got->progress())) << "GetSyncJob";
  }
  report.Add("jobs whose totals were checked", jobs->size());

  absl::StatusOr<std::vector<licensing::v1::Upgrade>> sessions = ListAllUpgrades(stub);
  ASSERT_TRUE(sessions.ok()) << sessions.status();
  EXPECT_TRUE(truth.OrdersMatch(*sessions));

  absl::StatusOr<std::vector<keyadmin::v1::Key>> keys = ka.ListKeys();
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_TRUE(truth.KaKeysMatch(*keys));
  absl::StatusOr<int64_t> upgrade_calls = ka.CallCount("UpgradeKey");
  ASSERT_TRUE(upgrade_calls.ok()) << upgrade_calls.status();
  EXPECT_TRUE(truth.UpgradeKeyCallsMatch(*upgrade_calls));
  report.Add("orders completed / UpgradeKey calls at ka-mock (expected)", truth.OrdersCompleted(), " / ",
             *upgrade_calls, " (", truth.ExpectedUpgradeKeyCalls(), ")");
}

}  // namespace lss::reliability
