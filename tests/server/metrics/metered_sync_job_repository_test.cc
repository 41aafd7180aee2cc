// Job metrics over a real SQLite repository: a job is counted once, by the
// commit that ends it, however it ends and however often it is ended again.
#include "server/metrics/metered_sync_job_repository.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "storage/database.h"
#include "tests/server/fakes/scratch_database.h"
#include "tests/server/metrics/exposition_lines.h"

namespace lss {
namespace {

using testing::SampleValue;

const absl::Time kNow = absl::FromUnixSeconds(1'790'000'000);
constexpr int kLicenses = 3;

LicenseFilter Active() {
  LicenseFilter scope;
  scope.state = LicenseState::kActive;
  return scope;
}

NewSyncJob Job(const std::string& job_id, LicenseFilter scope = Active()) {
  NewSyncJob job;
  job.job_id = job_id;
  job.scope = scope;
  job.created_by = "test";
  job.chunk_size = 2;  // kLicenses licenses: two chunks
  return job;
}

class MeteredSyncJobRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<testing::ScratchDatabase> db = testing::ScratchDatabase::Open("job-metrics");
    ASSERT_TRUE(db.ok()) << db.status();
    scratch_ = *std::move(db);
    db_ = scratch_.db.get();
    for (int i = 1; i <= kLicenses; ++i) {
      NewLicense license;
      license.config.key_number = absl::StrFormat("PLSK.%08d.0001", i);
      license.config.license_class = "PLESK_WEB_PRO";
      license.config.capacity = 100;
      license.config.expire_time = kNow + absl::Hours(24 * 200);
      license.config.renewal_due_time = kNow + absl::Hours(24 * 190);
      ASSERT_TRUE(db_->licenses().Create(license, kNow).ok());
    }
    jobs_ = std::make_unique<MeteredSyncJobRepository>(db_->sync_jobs(), registry_);
  }

  absl::StatusOr<SyncChunk> Claim(const std::string& job_id, absl::Time now) {
    absl::StatusOr<absl::optional<SyncChunk>> chunk = jobs_->ClaimChunk(job_id, "replica-a", now, absl::Seconds(30));
    if (!chunk.ok()) return chunk.status();
    if (!chunk->has_value()) return absl::NotFoundError("no chunk left");
    return **chunk;
  }

  // Commits `chunk`: license 1 In Sync, 2 an error, 3 skipped.
  absl::StatusOr<SyncJobRecord> Complete(const SyncChunk& chunk, absl::Time now) {
    absl::StatusOr<SyncJobRecord> job = jobs_->Get(chunk.job_id);
    if (!job.ok()) return job.status();
    absl::StatusOr<std::vector<LicenseRecord>> licenses = jobs_->LicensesOf(*job, chunk);
    if (!licenses.ok()) return licenses.status();
    std::vector<LicenseSyncOutcome> outcomes;
    for (const LicenseRecord& license : *licenses) {
      LicenseSyncOutcome outcome;
      outcome.license_id = license.license_id;
      outcome.sync_time = now;
      switch (license.license_id % 3) {
        case 1:
          outcome.result.emplace().status = SyncStatus::kInSync;
          outcome.ka_key_number = license.config.key_number;
          break;
        case 2:
          outcome.error = "KA answered nonsense";
          break;
        default:
          outcome.skipped = true;
      }
      outcomes.push_back(std::move(outcome));
    }
    return jobs_->CompleteChunk(chunk, outcomes, now);
  }

  absl::StatusOr<SyncJobRecord> CompleteNextChunk(const std::string& job_id, absl::Time now) {
    absl::StatusOr<SyncChunk> chunk = Claim(job_id, now);
    if (!chunk.ok()) return chunk.status();
    return Complete(*chunk, now);
  }

  absl::optional<double> Sample(absl::string_view series) const { return SampleValue(registry_.Render(), series); }

  testing::ScratchDatabase scratch_;
  Database* db_ = nullptr;
  metrics::MetricRegistry registry_;
  std::unique_ptr<MeteredSyncJobRepository> jobs_;
};

TEST_F(MeteredSyncJobRepositoryTest, AJobRunToItsEndIsCountedWithItsLicenses) {
  absl::StatusOr<StartedJob> started = jobs_->StartOrAttach(Job("job-1"), kNow);
  ASSERT_TRUE(started.ok()) << started.status();
  ASSERT_TRUE(started->created);
  EXPECT_EQ(Sample("lss_sync_jobs_started_total"), 1);
  EXPECT_EQ(Sample(R"(lss_sync_jobs_finished_total{state="succeeded"})"), 0);

  absl::StatusOr<SyncJobRecord> first = CompleteNextChunk("job-1", kNow + absl::Seconds(1));
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->state, SyncJobState::kRunning);
  EXPECT_EQ(Sample(R"(lss_sync_jobs_finished_total{state="succeeded"})"), 0);
  EXPECT_EQ(Sample(R"(lss_sync_licenses_total{outcome="in_sync"})"), 0);  // counted at the end

  absl::StatusOr<SyncJobRecord> last = CompleteNextChunk("job-1", kNow + absl::Seconds(4));
  ASSERT_TRUE(last.ok()) << last.status();
  ASSERT_EQ(last->state, SyncJobState::kSucceeded);
  EXPECT_EQ(Sample(R"(lss_sync_jobs_finished_total{state="succeeded"})"), 1);
  EXPECT_EQ(Sample(R"(lss_sync_licenses_total{outcome="in_sync"})"), last->counts.in_sync);
  EXPECT_EQ(Sample(R"(lss_sync_licenses_total{outcome="not_in_sync"})"), last->counts.not_in_sync);
  EXPECT_EQ(Sample(R"(lss_sync_licenses_total{outcome="error"})"), last->counts.errors);
  EXPECT_EQ(Sample(R"(lss_sync_licenses_total{outcome="skipped"})"), last->counts.skipped);
  EXPECT_EQ(last->counts.processed, kLicenses);
  EXPECT_EQ(Sample("lss_sync_job_duration_seconds_count"), 1);
  EXPECT_EQ(Sample("lss_sync_job_duration_seconds_sum"), 4);
}

TEST_F(MeteredSyncJobRepositoryTest, AttachingToTheRunningJobIsNotAStart) {
  ASSERT_TRUE(jobs_->StartOrAttach(Job("job-1"), kNow).ok());
  absl::StatusOr<StartedJob> again = jobs_->StartOrAttach(Job("job-2"), kNow + absl::Seconds(1));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->created);
  EXPECT_EQ(Sample("lss_sync_jobs_started_total"), 1);
}

TEST_F(MeteredSyncJobRepositoryTest, AJobWithNothingToSyncStartsAndEndsAtOnce) {
  LicenseFilter no_license;
  no_license.license_class = "NO_SUCH_CLASS";
  absl::StatusOr<StartedJob> started = jobs_->StartOrAttach(Job("job-empty", no_license), kNow);
  ASSERT_TRUE(started.ok()) << started.status();
  ASSERT_EQ(started->job.state, SyncJobState::kSucceeded);
  EXPECT_EQ(Sample("lss_sync_jobs_started_total"), 1);
  EXPECT_EQ(Sample(R"(lss_sync_jobs_finished_total{state="succeeded"})"), 1);
  EXPECT_EQ(Sample("lss_sync_job_duration_seconds_count"), 1);
}

TEST_F(MeteredSyncJobRepositoryTest, ACancelledJobIsCountedOnceWithWhatItDid) {
  ASSERT_TRUE(jobs_->StartOrAttach(Job("job-1"), kNow).ok());
  ASSERT_TRUE(CompleteNextChunk("job-1", kNow + absl::Seconds(1)).ok());
  absl::StatusOr<SyncChunk> in_flight = Claim("job-1", kNow + absl::Seconds(1));
  ASSERT_TRUE(in_flight.ok()) << in_flight.status();
  absl::StatusOr<SyncJobRecord> cancelled = jobs_->Cancel("job-1", kNow + absl::Seconds(2));
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  ASSERT_EQ(cancelled->state, SyncJobState::kCancelled);
  EXPECT_EQ(Sample(R"(lss_sync_jobs_finished_total{state="cancelled"})"), 1);
  EXPECT_EQ(Sample(R"(lss_sync_licenses_total{outcome="in_sync"})"), cancelled->counts.in_sync);
  EXPECT_EQ(Sample(R"(lss_sync_licenses_total{outcome="error"})"), cancelled->counts.errors);

  // Ending an ended job changes nothing, so it counts nothing either.
  ASSERT_TRUE(jobs_->Cancel("job-1", kNow + absl::Seconds(3)).ok());
  ASSERT_TRUE(jobs_->Fail("job-1", "too late", kNow + absl::Seconds(3)).ok());
  // Nor does the chunk a replica was still working on.
  EXPECT_EQ(Complete(*in_flight, kNow + absl::Seconds(4)).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Sample(R"(lss_sync_jobs_finished_total{state="cancelled"})"), 1);
  EXPECT_EQ(Sample(R"(lss_sync_jobs_finished_total{state="failed"})"), 0);
  EXPECT_EQ(Sample(R"(lss_sync_jobs_finished_total{state="succeeded"})"), 0);
  EXPECT_EQ(Sample("lss_sync_job_duration_seconds_count"), 1);
}

TEST_F(MeteredSyncJobRepositoryTest, AFailedJobIsCounted) {
  ASSERT_TRUE(jobs_->StartOrAttach(Job("job-1"), kNow).ok());
  absl::StatusOr<SyncJobRecord> failed = jobs_->Fail("job-1", "the database is gone", kNow + absl::Seconds(1));
  ASSERT_TRUE(failed.ok()) << failed.status();
  EXPECT_EQ(Sample(R"(lss_sync_jobs_finished_total{state="failed"})"), 1);
}

}  // namespace
}  // namespace lss
