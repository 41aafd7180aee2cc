// A Prometheus counter: a count that only grows (calls made, jobs ended).
//
// Thread-safe and lock-free: one relaxed atomic add per increment, so it
// may sit on any hot path. Reads see every increment that happened before
// them, in no particular order with respect to other metrics.
#pragma once

#include <atomic>
#include <cstdint>

#include "absl/strings/string_view.h"

namespace lss::metrics {

class Counter {
 public:
  static constexpr absl::string_view kType = "counter";

  void Increment(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

}  // namespace lss::metrics
