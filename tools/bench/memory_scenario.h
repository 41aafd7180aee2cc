// Scenario 3 of DESIGN.md §5: the peak resident memory (VmHWM) of
// license-server during a SyncAll, at several sizes, a fresh process per
// run so that each peak belongs to one job. Each size gets its own
// database and its own ka-mock; the import runs in a separate server
// process, so that its memory is not counted.
#pragma once

#include <string>
#include <vector>

#include "bench/bench_config.h"
#include "bench/bench_results.h"
#include "tests/harness/harness.h"

namespace lss::bench {

// Sizes the disk cannot hold (see EstimatedDiskBytes) are skipped, and say
// so. Failures go to `errors`. Leaves no database behind.
std::vector<MemorySize> MeasureMemory(const harness::MariaDbProcess& mariadb, const std::string& work_dir,
                                      const BenchConfig& config, std::vector<std::string>& errors);

// A generous guess of the disk a size needs on MariaDB: the licenses, their
// indexes, one SyncAll of history and InnoDB's logs.
int64_t EstimatedDiskBytes(int64_t licenses);

}  // namespace lss::bench
