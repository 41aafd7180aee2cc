// Scenario 1 of DESIGN.md §5, one run: K (bare KA calls over in-flight
// limits), D (bare chunk writes over batch sizes) and SyncAll through
// license-server, in that order, on the same stack, so that the ratio
// SyncAll / (1/(1/K + 1/D)) compares figures of one run.
#pragma once

#include <string>
#include <vector>

#include "bench/bench_config.h"
#include "bench/bench_results.h"
#include "bench/bench_stack.h"

namespace lss::bench {

// Appends failures to `errors` (prefixed with `run_label`) and leaves their
// figures out. SyncAll runs when syncall or latency is selected: the
// latency-bound SyncAll is set against it.
FloorRun MeasureFloor(BenchStack& stack, const BenchConfig& config, const std::string& run_label,
                      std::vector<std::string>& errors);

// Best K and D of a run (0 when not measured), and the floor they set.
double BestK(const FloorRun& run);
double BestD(const FloorRun& run);
double Floor(const FloorRun& run);  // 1/(1/K + 1/D); 0 without both

}  // namespace lss::bench
