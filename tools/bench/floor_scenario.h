// Scenario 1 of DESIGN.md §5, one run: K (bare KA calls over in-flight
// limits), D (bare SQL writes of the sync columns over batch sizes,
// bare_sync_writes.h; and beside it, not a floor, our own chunk commits
// through SyncJobRepository) and SyncAll through license-server, in that
// order, on the same stack, so that the ratio SyncAll / (1/(1/K + 1/D))
// compares figures of one run.
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

// Best K of a run and best bare D by `method` (0 when not measured).
double BestK(const FloorRun& run);
double BestD(const FloorRun& run, BareWriteMethod method);
// The pass behind BestD (nullptr when none), to name its batch size.
const BareWriteResult* BestBareWrite(const FloorRun& run, BareWriteMethod method);
// The floor's D: the best of the backend's first method (BareWriteMethods).
double BestD(const FloorRun& run, Backend backend);
// Ours, not a floor: the best CompleteChunk rate.
double BestOursD(const FloorRun& run);
// The floor: 1/(1/K + 1/D) of BestK and BestD(backend); 0 without both.
double Floor(const FloorRun& run, Backend backend);

}  // namespace lss::bench
