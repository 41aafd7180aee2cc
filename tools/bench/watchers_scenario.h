// Scenario 4 of DESIGN.md §5, one run: SyncAll while a separate process
// watches the job with many WatchSyncJob streams. The run's SyncAll without
// watchers (floor_scenario.h) is the figure it is set against.
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
