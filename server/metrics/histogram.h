// A Prometheus histogram: how many observations fell at or below each
// bucket bound, their count and their sum (call latencies, job durations).
//
// Thread-safe and lock-free: an observation is a binary search over the
// bounds and two relaxed atomic adds. A read taken while observations are
// under way may see an observation in its bucket but not yet in the sum;
// count and buckets always agree, since the count is the buckets' total.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/strings/string_view.h"

namespace lss::metrics {

class Histogram {
 public:
  static constexpr absl::string_view kType = "histogram";

  // `bounds`: the buckets' upper bounds, finite and strictly increasing
  // (the registry checks them); the +Inf bucket is implicit.
  explicit Histogram(std::vector<double> bounds);

  void Observe(double value);

  struct Snapshot {
    std::vector<double> bounds;
    // Observations <= bounds[i], cumulative as the text format wants; one
    // more element than bounds: the +Inf bucket, equal to count.
    std::vector<uint64_t> cumulative;
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot Read() const;

 private:
  const std::vector<double> bounds_;
  // Per bucket, not cumulative, so that an observation touches one; the
  // last one holds observations above every bound (and NaN).
  const std::unique_ptr<std::atomic<uint64_t>[]> buckets_;
  std::atomic<double> sum_{0};
};

// Aborts unless `bounds` are finite and strictly increasing.
void RequireValidBounds(absl::string_view metric, const std::vector<double>& bounds);

}  // namespace lss::metrics
