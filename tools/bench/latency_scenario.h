// Scenario 2 of DESIGN.md §5, one run: KA answering every call after
// ka_latency. First ka-mock alone, through the bare client: at L calls in
// flight (what a client with that limit gets, a little under L / latency
// for the round trip on top of the latency), and at 2 L, which shows that
// ka-mock sustains more than L / latency, so it is not what limits a client
// at L. Then SyncAll through license-server (whose --ka_max_in_flight is L)
// is set against min(L / latency, the run's 0 ms SyncAll).
#pragma once

#include <string>
#include <vector>

#include "bench/bench_config.h"
#include "bench/bench_results.h"
#include "bench/bench_stack.h"

namespace lss::bench {

// Leaves ka-mock without faults afterwards, whatever happened. Failures go
// to `errors`.
LatencyRun MeasureLatencyBound(BenchStack& stack, const BenchConfig& config, const std::string& run_label,
                               std::vector<std::string>& errors);

// L / latency: what KA can give at most.
double LatencyCeiling(const BenchConfig& config);

}  // namespace lss::bench
