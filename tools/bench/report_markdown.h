// docs/BENCHMARKS.md's generated part for one backend: the figures of one
// invocation as Markdown tables, each the median of the runs, with the
// verdict on every target of DESIGN.md §5, the machine and the commands,
// under a heading naming the backend (report_file.h keeps one such block
// per backend). Pure; thread-safe.
#pragma once

#include <string>

#include "bench/bench_results.h"

namespace lss::bench {

std::string RenderReport(const BenchResults& results);

}  // namespace lss::bench
