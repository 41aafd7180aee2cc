// Fans a job's progress out to any number of watchers without ever slowing
// the job: publishing stores the latest snapshot and pokes each watcher;
// a watcher that is still sending an older snapshot simply sends the latest
// one next (intermediate snapshots are skipped, never the final one). The
// shape is that of gRPC's own health Watch
// (src/cpp/server/health/default_health_check_service.cc): one sink per
// watcher, one send in flight, latest value wins, unsubscribe when done.
//
// Watchers are capped per job and per caller (WatcherLimits): each holds a
// stream, its buffers and a poke on every publish, so callers must not be
// able to add them without end. Past a cap, Subscribe refuses with
// RESOURCE_EXHAUSTED (reason TOO_MANY_WATCHERS).
//
// Thread-safe. Publish() never blocks on a watcher.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/optional.h"
#include "server/jobs/sync_progress.h"

namespace lss {

// Where one watcher's snapshots go. Implementations (a gRPC write reactor)
// must not block in OnProgress.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  // A newer snapshot is available; call ProgressHub::Latest() to fetch it.
  virtual void OnProgress() = 0;
};

inline constexpr absl::string_view kReasonTooManyWatchers = "TOO_MANY_WATCHERS";

struct WatcherLimits {
  // Above the 1,000 watchers of one job that the design's benchmark runs.
  int per_job = 5000;
  int per_caller = 2000;
};

class ProgressHub {
 public:
  using SubscriptionId = int64_t;

  explicit ProgressHub(WatcherLimits limits = {}) : limits_(limits) {}

  // Stores `snapshot` as the job's latest and pokes its watchers. A final
  // snapshot stays available while the job is watched; once nobody watches
  // an ended job its channel is dropped (a later watcher's snapshot is
  // published again first), so memory does not grow with the jobs run.
  void Publish(const SyncProgressSnapshot& snapshot);

  // The job's latest snapshot, if one was published.
  absl::optional<SyncProgressSnapshot> Latest(const std::string& job_id) const;

  // Adds a watcher of `job_id` for `caller` (CallerKey: who the caps count
  // it for); it is poked at once when a snapshot exists. RESOURCE_EXHAUSTED
  // when the job or the caller has as many watchers as allowed. The sink
  // must stay alive until Unsubscribe returns; Unsubscribe waits for pokes
  // under way, so it must not be called from the sink's OnProgress.
  absl::StatusOr<SubscriptionId> Subscribe(const std::string& job_id, const std::string& caller,
                                           ProgressSink* sink);
  void Unsubscribe(const std::string& job_id, SubscriptionId id);

  // Jobs that have watchers and no final snapshot yet: the ones whose
  // progress must keep being published.
  std::vector<std::string> JobsAwaitingProgress() const;

  // Watchers of a job, for metrics and tests.
  size_t WatcherCount(const std::string& job_id) const;

 private:
  struct Watcher {
    ProgressSink* sink;
    std::string caller;
  };
  struct JobChannel {
    absl::optional<SyncProgressSnapshot> latest;
    absl::flat_hash_map<SubscriptionId, Watcher> sinks;
    int pokes_under_way = 0;  // Publish() calls poking sinks outside the lock
  };

  const WatcherLimits limits_;
  mutable absl::Mutex mu_;
  absl::CondVar pokes_done_;  // signalled when a Publish() stops poking
  absl::flat_hash_map<std::string, JobChannel> jobs_ ABSL_GUARDED_BY(mu_);
  SubscriptionId next_id_ ABSL_GUARDED_BY(mu_) = 1;
  absl::flat_hash_map<std::string, int> watchers_by_caller_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lss
