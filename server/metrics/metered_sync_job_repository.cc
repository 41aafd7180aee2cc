#include "server/metrics/metered_sync_job_repository.h"

#include <string>
#include <vector>

namespace lss {
namespace {

// A job over a handful of licenses ends in a second; one over a million
// takes hours.
std::vector<double> JobDurationBounds() {
  return {0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 28800};
}

metrics::MetricFamily<metrics::Counter>& FinishedFamily(metrics::MetricRegistry& registry) {
  return registry.AddCounter("lss_sync_jobs_finished_total",
                             "SyncAll jobs ended by this replica's commit, by final state.", {"state"});
}

metrics::MetricFamily<metrics::Counter>& LicensesFamily(metrics::MetricRegistry& registry) {
  return registry.AddCounter("lss_sync_licenses_total",
                             "Licenses processed by the SyncAll jobs this replica ended, by outcome as the job "
                             "counts them; added when the job ends.",
                             {"outcome"});
}

}  // namespace

MeteredSyncJobRepository::MeteredSyncJobRepository(SyncJobRepository& jobs, metrics::MetricRegistry& registry)
    : jobs_(jobs),
      started_(
          registry.AddCounter("lss_sync_jobs_started_total", "SyncAll jobs created by this replica.").WithLabels({})),
      finished_(FinishedFamily(registry)),
      licenses_(LicensesFamily(registry)),
      succeeded_(finished_.WithLabels({"succeeded"})),
      cancelled_(finished_.WithLabels({"cancelled"})),
      failed_(finished_.WithLabels({"failed"})),
      in_sync_(licenses_.WithLabels({"in_sync"})),
      not_in_sync_(licenses_.WithLabels({"not_in_sync"})),
      errors_(licenses_.WithLabels({"error"})),
      skipped_(licenses_.WithLabels({"skipped"})),
      duration_(registry
                    .AddHistogram("lss_sync_job_duration_seconds",
                                  "Time from a SyncAll job's creation to its end, for the jobs this replica ended.", {},
                                  JobDurationBounds())
                    .WithLabels({})) {}

void MeteredSyncJobRepository::Finished(const SyncJobRecord& job) {
  switch (job.state) {
    case SyncJobState::kSucceeded:
      succeeded_.Increment();
      break;
    case SyncJobState::kCancelled:
      cancelled_.Increment();
      break;
    case SyncJobState::kFailed:
      failed_.Increment();
      break;
    case SyncJobState::kRunning:
      return;
  }
  in_sync_.Increment(static_cast<uint64_t>(job.counts.in_sync));
  not_in_sync_.Increment(static_cast<uint64_t>(job.counts.not_in_sync));
  errors_.Increment(static_cast<uint64_t>(job.counts.errors));
  skipped_.Increment(static_cast<uint64_t>(job.counts.skipped));
  if (job.end_time.has_value()) duration_.Observe(absl::ToDoubleSeconds(*job.end_time - job.create_time));
}

void MeteredSyncJobRepository::FinishedIfEndedAt(const absl::StatusOr<SyncJobRecord>& ended, SyncJobState state,
                                                 absl::Time now) {
  // Stored times keep microseconds: the commit stamped `now` so truncated.
  if (ended.ok() && ended->state == state && ended->end_time.has_value() &&
      absl::AbsDuration(*ended->end_time - now) < absl::Microseconds(1)) {
    Finished(*ended);
  }
}

absl::StatusOr<StartedJob> MeteredSyncJobRepository::StartOrAttach(const NewSyncJob& job, absl::Time now) {
  absl::StatusOr<StartedJob> started = jobs_.StartOrAttach(job, now);
  if (started.ok() && started->created) {
    started_.Increment();
    // A job with no license to sync is created ended.
    Finished(started->job);
  }
  return started;
}

absl::StatusOr<SyncJobRecord> MeteredSyncJobRepository::CompleteChunk(const SyncChunk& chunk,
                                                                      const std::vector<LicenseSyncOutcome>& outcomes,
                                                                      absl::Time now) {
  absl::StatusOr<SyncJobRecord> job = jobs_.CompleteChunk(chunk, outcomes, now);
  // A chunk of an ended job is refused, so an accepted chunk that leaves
  // its job ended is the one whose commit ended it.
  if (job.ok()) Finished(*job);
  return job;
}

absl::StatusOr<SyncJobRecord> MeteredSyncJobRepository::CompletePage(const SyncChunk& page,
                                                                     const std::vector<LicenseSyncOutcome>& outcomes,
                                                                     absl::string_view next_page_token,
                                                                     absl::Time now) {
  absl::StatusOr<SyncJobRecord> job = jobs_.CompletePage(page, outcomes, next_page_token, now);
  // As for a chunk: the last page ends the job when it covered every range.
  if (job.ok()) Finished(*job);
  return job;
}

absl::StatusOr<SyncJobRecord> MeteredSyncJobRepository::Cancel(absl::string_view job_id, absl::Time now) {
  absl::StatusOr<SyncJobRecord> job = jobs_.Cancel(job_id, now);
  FinishedIfEndedAt(job, SyncJobState::kCancelled, now);
  return job;
}

absl::StatusOr<SyncJobRecord> MeteredSyncJobRepository::Fail(absl::string_view job_id, absl::string_view error,
                                                             absl::Time now) {
  absl::StatusOr<SyncJobRecord> job = jobs_.Fail(job_id, error, now);
  FinishedIfEndedAt(job, SyncJobState::kFailed, now);
  return job;
}

}  // namespace lss
