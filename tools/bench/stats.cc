#include "bench/stats.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace lss::bench {
namespace {

// Nearest rank on sorted samples: the smallest sample with at least
// `fraction` of the samples at or below it.
int64_t Percentile(const std::vector<int64_t>& sorted, double fraction) {
  const double rank = std::ceil(fraction * static_cast<double>(sorted.size()));
  const size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

}  // namespace

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

LatencySummary SummarizeLatencies(std::vector<int64_t> samples) {
  if (samples.empty()) return {};
  std::sort(samples.begin(), samples.end());
  return {absl::Nanoseconds(Percentile(samples, 0.50)), absl::Nanoseconds(Percentile(samples, 0.90)),
          absl::Nanoseconds(Percentile(samples, 0.99))};
}

double Rate(int64_t count, absl::Duration elapsed) {
  const double seconds = absl::ToDoubleSeconds(elapsed);
  return seconds > 0 ? static_cast<double>(count) / seconds : 0;
}

double SerialRate(std::initializer_list<double> rates) {
  double seconds_per_item = 0;
  for (double rate : rates) {
    if (!(rate > 0)) return 0;
    seconds_per_item += 1 / rate;
  }
  return seconds_per_item > 0 ? 1 / seconds_per_item : 0;
}

}  // namespace lss::bench
