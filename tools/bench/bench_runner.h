// The benchmark from start to end, on one backend: starts the database and
// the system under test, runs the selected scenarios run after run, then
// the sizes (scale and memory), and gathers the figures.
// Failures of single measurements are recorded in the results, not fatal.
//
// Call from the main thread (the harness ties child processes to the
// thread that starts them).
#pragma once

#include "bench/bench_config.h"
#include "bench/bench_results.h"

namespace lss::bench {

BenchResults RunBenchmarks(const BenchConfig& config);

}  // namespace lss::bench
