// Scenario 3 of DESIGN.md §5, scale and memory: a SyncAll of every license
// at several sizes, run after run, each size with its own database and its
// own ka-mock and a fresh license-server per run, so that each figure
// belongs to one job at one size. One measurement gives both targets: the
// job's throughput per size (linear cost: 1M within 15% of 100k) and
// license-server's peak resident memory (VmHWM: 1M within 20% of 10k). The
// import runs in a separate server process, so that its memory is not
// counted.
#pragma once

#include <string>
#include <vector>

#include "bench/bench_config.h"
#include "bench/bench_database.h"
#include "bench/bench_results.h"

namespace lss::bench {

// Sizes the disk cannot hold (DatabaseHost::EstimatedDiskBytes) are
// skipped, and say so. Failures go to `errors`. Leaves no database behind;
// ka-mock's and the servers' files go to `work_dir`.
std::vector<SizeResult> MeasureSizes(DatabaseHost& host, const std::string& work_dir, const BenchConfig& config,
                                     std::vector<std::string>& errors);

}  // namespace lss::bench
