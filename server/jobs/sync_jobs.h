// SyncAll jobs as operators use them: start one (or attach to the one
// running with the same scope), read, list and cancel them. The work itself
// is done by every replica's SyncJobRunner; progress reaches watchers
// through the ProgressHub.
//
// Blocking (database); call from a WorkerPool thread. Thread-safe.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/caller_identity.h"
#include "common/clock.h"
#include "server/jobs/progress_ticker.h"
#include "server/jobs/sync_job_runner.h"
#include "server/licenses/license_queries.h"
#include "storage/sync_job_repository.h"

namespace lss {

inline constexpr absl::string_view kReasonSyncJobRunning = "SYNC_JOB_ALREADY_RUNNING";

class SyncJobs {
 public:
  // `bulk`: a job over every license reads KA's account through ListKeys
  // pages (SyncJobRecord::bulk) instead of asking about each license.
  SyncJobs(SyncJobRepository& jobs, SyncJobRunner& runner, ProgressTicker& ticker, const Clock& clock,
           int64_t chunk_size, bool bulk)
      : jobs_(jobs), runner_(runner), ticker_(ticker), clock_(clock), chunk_size_(chunk_size), bulk_(bulk) {}

  // The job now syncing `scope` (an empty scope means every ACTIVE
  // license): a new one, or the running one when its scope is the same.
  // ABORTED (SYNC_JOB_ALREADY_RUNNING, metadata job_id) when a job with
  // another scope runs.
  absl::StatusOr<SyncJobRecord> StartOrAttach(const CallerIdentity& caller, LicenseFilter scope);

  absl::StatusOr<SyncJobRecord> Get(absl::string_view job_id);
  absl::StatusOr<Page<SyncJobRecord>> List(absl::optional<SyncJobState> state, int32_t page_size,
                                           absl::string_view page_token);
  absl::StatusOr<SyncJobRecord> Cancel(absl::string_view job_id);

  // Publishes the job's progress now, so that a watcher attaching late gets
  // the current state first.
  void PublishProgress(const SyncJobRecord& job) { ticker_.Publish(job); }

 private:
  SyncJobRepository& jobs_;
  SyncJobRunner& runner_;
  ProgressTicker& ticker_;
  const Clock& clock_;
  const int64_t chunk_size_;
  const bool bulk_;
};


}  // namespace lss
