// SyncAll under concurrent unary load (issue 8): the same SyncAll alone,
// then while closed-loop clients read licenses one by one (GetLicense, the
// calls that dashboards and internal services make all day), for exactly
// as long as the SyncAll runs. Shows what the readers cost the job and what
// the job costs the readers.
#pragma once

#include <string>
#include <vector>

#include "bench/bench_config.h"
#include "bench/bench_results.h"
#include "bench/bench_stack.h"

namespace lss::bench {

LoadedRun MeasureUnderLoad(BenchStack& stack, const BenchConfig& config, const std::string& run_label,
                           std::vector<std::string>& errors);

}  // namespace lss::bench
