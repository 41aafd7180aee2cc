#include "server/metrics/server_gauges.h"

#include <string>

namespace lss {

void AddServerGauges(metrics::MetricRegistry& registry, absl::Time start_time, const ProgressHub& hub) {
  registry.AddGauge("process_start_time_seconds", "Start time of the process since the Unix epoch, in seconds.")
      .WithLabels({})
      .Set(absl::ToDoubleSeconds(start_time - absl::UnixEpoch()));
  registry.AddCallbackGauge("lss_sync_watchers",
                            "Streams on this replica watching a running SyncAll job (SyncAll and WatchSyncJob).",
                            [&hub] {
                              size_t watchers = 0;
                              for (const std::string& job_id : hub.JobsAwaitingProgress()) {
                                watchers += hub.WatcherCount(job_id);
                              }
                              return static_cast<double>(watchers);
                            });
}

}  // namespace lss
