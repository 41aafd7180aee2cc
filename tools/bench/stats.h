// The arithmetic of the report: medians over runs and latency percentiles.
// Pure functions on values; thread-safe.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "absl/time/time.h"

namespace lss::bench {

// The median of `values` (the mean of the middle two for an even count); 0
// for none. DESIGN.md §5 reports every figure as the median of its runs.
double Median(std::vector<double> values);

// Latency percentiles of one measurement.
struct LatencySummary {
  absl::Duration p50;
  absl::Duration p90;
  absl::Duration p99;
};

// Nearest-rank percentiles of `samples` (nanoseconds); zeros for none.
LatencySummary SummarizeLatencies(std::vector<int64_t> samples);

// Per-second rate of `count` events over `elapsed`; 0 for an empty span.
double Rate(int64_t count, absl::Duration elapsed);

// The rate of work that passes through steps one after another, each alone
// at its own rate: 1/(1/a + 1/b + ...), as every floor of DESIGN.md §5 is
// made. 0 when a rate is missing (not above 0).
double SerialRate(std::initializer_list<double> rates);

}  // namespace lss::bench
