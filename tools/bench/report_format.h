// The pieces the Markdown report is made of: numbers, durations and
// verdicts as the report writes them, table rows, and medians over runs.
// Pure functions; thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "bench/bench_results.h"

namespace lss::bench {

std::string Thousands(double value);    // 1234567.8 -> "1,234,568"
std::string PerSecond(double value);    // "1,235/s"; "—" for 0 (not measured)
std::string Percent(double ratio);      // 0.705 -> "71%"
std::string Signed(double change);      // -0.052 -> "-5.2%"
std::string Ms(absl::Duration d);       // "0.15 ms"
std::string Latency(absl::Duration d);  // Ms, or "4.2 µs" below 0.1 ms (a bare SQLite read)
std::string Seconds(absl::Duration d);  // "4.2 s"
std::string Minutes(absl::Duration d);  // "32.8 min"
std::string MiB(double kib);            // "30.7 MiB"
std::string Verdict(bool met);          // "**met**" or "**missed**"

// A table row, and a header row with its separator line.
std::string Row(const std::vector<std::string>& cells);
std::string Header(const std::vector<std::string>& cells);

// "run 1" ... "run N" header cells.
std::vector<std::string> RunColumns(const BenchResults& results);

// The median over runs of what `value` gives for each run (runs where it
// gives nothing, or 0, are left out); 0 when none gives anything.
double MedianOverRuns(const BenchResults& results,
                      const std::function<std::optional<double>(const RunResults&)>& value);

}  // namespace lss::bench
