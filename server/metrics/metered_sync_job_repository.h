// SyncAll job metrics, taken where a job's fate is decided: the repository
// calls whose commit starts or ends a job. A SyncJobRepository that passes
// every call to the one it wraps and counts, from their answers:
//   lss_sync_jobs_started_total               jobs this replica created
//   lss_sync_jobs_finished_total{state}       jobs this replica ended:
//                                             succeeded, cancelled, failed
//   lss_sync_licenses_total{outcome}          the licenses of those jobs, by
//                                             the job's own counts: in_sync,
//                                             not_in_sync, error, skipped
//   lss_sync_job_duration_seconds             histogram, creation to end
// Each job is counted by the one replica whose commit ended it (the last
// chunk's completion, the cancellation, the failure), so a sum over
// replicas counts every job and every license of it exactly once; its
// licenses are counted when it ends, not chunk by chunk.
//
// Decorating the repository rather than hooking the runner covers every
// way a job starts or ends (SyncAll, the daily run, CancelSyncJob, the
// last chunk of any replica) with no change to server/jobs/.
//
// Thread-safe and blocking, as the wrapped repository is.
#pragma once

#include <array>

#include "server/metrics/metric_registry.h"
#include "storage/sync_job_repository.h"

namespace lss {

class MeteredSyncJobRepository final : public SyncJobRepository {
 public:
  MeteredSyncJobRepository(SyncJobRepository& jobs, metrics::MetricRegistry& registry);

  absl::StatusOr<StartedJob> StartOrAttach(const NewSyncJob& job, absl::Time now) override;
  absl::StatusOr<SyncJobRecord> Get(absl::string_view job_id) override { return jobs_.Get(job_id); }
  absl::StatusOr<absl::optional<SyncJobRecord>> Running() override { return jobs_.Running(); }
  absl::StatusOr<std::vector<SyncJobRecord>> List(absl::optional<SyncJobState> state, int64_t before_create_micros,
                                                  absl::string_view before_job_id, int limit) override {
    return jobs_.List(state, before_create_micros, before_job_id, limit);
  }
  absl::StatusOr<absl::optional<SyncChunk>> ClaimChunk(absl::string_view job_id, absl::string_view owner,
                                                       absl::Time now, absl::Duration lease) override {
    return jobs_.ClaimChunk(job_id, owner, now, lease);
  }
  absl::Status RenewLease(const SyncChunk& chunk, absl::Time now, absl::Duration lease) override {
    return jobs_.RenewLease(chunk, now, lease);
  }
  absl::Status ReleaseLeases(absl::string_view owner) override { return jobs_.ReleaseLeases(owner); }
  absl::StatusOr<SyncJobRecord> CompleteChunk(const SyncChunk& chunk, const std::vector<LicenseSyncOutcome>& outcomes,
                                              absl::Time now) override;
  absl::StatusOr<SyncJobRecord> Cancel(absl::string_view job_id, absl::Time now) override;
  absl::StatusOr<SyncJobRecord> Fail(absl::string_view job_id, absl::string_view error, absl::Time now) override;
  absl::StatusOr<std::vector<LicenseRecord>> LicensesOf(const SyncJobRecord& job, const SyncChunk& chunk) override {
    return jobs_.LicensesOf(job, chunk);
  }
  absl::StatusOr<std::vector<LicenseRecord>> LicensesForKeys(const SyncJobRecord& job,
                                                             const std::vector<std::string>& key_bases) override {
    return jobs_.LicensesForKeys(job, key_bases);
  }
  absl::StatusOr<SyncJobRecord> CompletePage(const SyncChunk& page, const std::vector<LicenseSyncOutcome>& outcomes,
                                             absl::string_view next_page_token, absl::Time now) override;
  absl::StatusOr<int64_t> PruneEndedBefore(absl::Time cutoff) override { return jobs_.PruneEndedBefore(cutoff); }

 private:
  // Counts `job`, which a commit of this replica just ended.
  void Finished(const SyncJobRecord& job);
  // Counts `ended` when this call's commit, stamped `now`, ended it: an
  // ended job's end time stays that of the commit that ended it.
  void FinishedIfEndedAt(const absl::StatusOr<SyncJobRecord>& ended, SyncJobState state, absl::Time now);

  SyncJobRepository& jobs_;
  metrics::Counter& started_;
  metrics::MetricFamily<metrics::Counter>& finished_;
  metrics::MetricFamily<metrics::Counter>& licenses_;
  metrics::Counter& succeeded_;
  metrics::Counter& cancelled_;
  metrics::Counter& failed_;
  metrics::Counter& in_sync_;
  metrics::Counter& not_in_sync_;
  metrics::Counter& errors_;
  metrics::Counter& skipped_;
  metrics::Histogram& duration_;
};

}  // namespace lss
