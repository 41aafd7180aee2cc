// Publishes the progress of SyncAll jobs to the ProgressHub at least every
// `interval` while they run, and their final snapshot when they end: for
// the running job, and for every job somebody watches on this replica
// (the job may be worked on by other replicas; the database has its
// counters). Rate is smoothed over recent ticks; ETA follows from it.
//
// Thread-safe. Runs its own thread from Start() until Stop()/destruction.
#pragma once

#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "server/jobs/progress_hub.h"
#include "server/jobs/sync_job_runner.h"
#include "storage/sync_job_repository.h"

namespace lss {

class ProgressTicker {
 public:
  ProgressTicker(SyncJobRepository& jobs, const SyncJobRunner& runner, ProgressHub& hub, const Clock& clock,
                 absl::Duration interval);
  ~ProgressTicker();

  void Start();
  void Stop();
  // Publishes `job_id`'s progress now (a watcher attached, a job started).
  void PublishNow(const std::string& job_id);
  void Publish(const SyncJobRecord& job);

 private:
  struct RateState {
    int64_t processed = 0;
    absl::Time at;
    double rate = 0;
  };

  void Loop();

  SyncJobRepository& jobs_;
  const SyncJobRunner& runner_;
  ProgressHub& hub_;
  const Clock& clock_;
  const absl::Duration interval_;

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  absl::flat_hash_map<std::string, RateState> rates_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace lss
