// Scenario 4 of DESIGN.md §5, one run: SyncAll without watchers, then
// SyncAll while a separate process watches the job with many WatchSyncJob
// streams, in the same conditions one right after the other.
#pragma once

#include <string>
#include <vector>

#include "bench/bench_config.h"
#include "bench/bench_results.h"
#include "bench/bench_stack.h"

namespace lss::bench {

// Starts SyncAll, and as soon as its job id is known, the watcher process
// (this binary in --mode=watchers) on that job; waits for both. Failures go
// to `errors`.
WatchersRun MeasureWithWatchers(BenchStack& stack, const BenchConfig& config, const std::string& run_label,
                                std::vector<std::string>& errors);

}  // namespace lss::bench
