// Starting and attaching to SyncAll jobs over a real SQLite repository, with
// the runner not started: what a second SyncAll finds while a job runs.
#include "server/jobs/sync_jobs.h"

#include <gtest/gtest.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"
#include "server/jobs/progress_hub.h"
#include "server/jobs/progress_ticker.h"
#include "server/jobs/sync_job_runner.h"
#include "storage/database.h"
#include "tests/server/fakes/scratch_database.h"
#include "tests/server/fakes/fake_key_administrator.h"

namespace lss {
namespace {

class SyncJobsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<testing::ScratchDatabase> db = testing::ScratchDatabase::Open("sync-jobs");
    ASSERT_TRUE(db.ok()) << db.status();
    scratch_ = *std::move(db);
    db_ = scratch_.db.get();
    runner_ = std::make_unique<SyncJobRunner>(db_->sync_jobs(), ka_, clock_, SyncJobRunnerOptions{});
    ticker_ = std::make_unique<ProgressTicker>(db_->sync_jobs(), *runner_, hub_, clock_, absl::Seconds(1));
    jobs_ = std::make_unique<SyncJobs>(db_->sync_jobs(), *runner_, *ticker_, clock_, 100, /*bulk=*/true);
    // A license every scope below covers, so that its job has work and
    // stays running (nobody runs it here).
    NewLicense license;
    license.config.key_number = "PLSK.00000001.0001";
    license.config.license_class = "X;prefix=";
    license.config.capacity = 1;
    license.config.expire_time = absl::FromUnixSeconds(1'700'000'000);
    ASSERT_TRUE(db_->licenses().Create(license, clock_.Now()).ok());
  }

  testing::ScratchDatabase scratch_;
  Database* db_ = nullptr;
  testing::FakeKeyAdministrator ka_;
  ManualClock clock_{absl::FromUnixSeconds(1'790'000'000)};
  ProgressHub hub_;
  std::unique_ptr<SyncJobRunner> runner_;
  std::unique_ptr<ProgressTicker> ticker_;
  std::unique_ptr<SyncJobs> jobs_;
  const CallerIdentity caller_{"ops", Role::kOperator, "r", "local"};
};

// Two scopes whose fields, written one after the other with separators,
// read alike ("class=X;prefix=" + "Y" and "class=X" + ";prefix=Y"): the
// second is another scope, refused while the first runs.
TEST_F(SyncJobsTest, ScopesAreComparedFieldByFieldNotAsText) {
  LicenseFilter running;
  running.license_class = "X;prefix=";
  running.key_number_prefix = "";
  absl::StatusOr<SyncJobRecord> first = jobs_->StartOrAttach(caller_, running);
  ASSERT_TRUE(first.ok()) << first.status();
  LicenseFilter look_alike;
  look_alike.license_class = "X";
  look_alike.key_number_prefix = ";prefix=";
  absl::StatusOr<SyncJobRecord> second = jobs_->StartOrAttach(caller_, look_alike);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kAborted) << second.status();
  EXPECT_EQ(MetadataOf(second.status(), "job_id"), first->job_id);
  // The same scope again attaches.
  absl::StatusOr<SyncJobRecord> again = jobs_->StartOrAttach(caller_, running);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->job_id, first->job_id);
}

// A time in the scope finer than the database keeps (nanoseconds) is still
// the same scope when asked for again.
TEST_F(SyncJobsTest, AScopeWithATimeAttachesToItsRunningJob) {
  LicenseFilter scope;
  scope.usable_until_before = absl::FromUnixNanos(1'800'000'000'123'456'789);
  absl::StatusOr<SyncJobRecord> first = jobs_->StartOrAttach(caller_, scope);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<SyncJobRecord> again = jobs_->StartOrAttach(caller_, scope);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->job_id, first->job_id);
}

}  // namespace
}  // namespace lss
