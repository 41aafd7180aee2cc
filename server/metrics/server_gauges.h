// Gauges of the process as a whole, read at each scrape:
//   process_start_time_seconds   when the process started, Unix seconds (the
//                                name Prometheus' own clients use, so that
//                                restarts show on the usual dashboards)
//   lss_sync_watchers            streams on this replica watching a
//                                running SyncAll job (SyncAll callers and
//                                WatchSyncJob)
#pragma once

#include "absl/time/time.h"
#include "server/jobs/progress_hub.h"
#include "server/metrics/metric_registry.h"

namespace lss {

// `hub` must outlive every scrape of `registry`.
void AddServerGauges(metrics::MetricRegistry& registry, absl::Time start_time, const ProgressHub& hub);

}  // namespace lss
