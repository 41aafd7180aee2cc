// The counters of one family that differ only in their last label, a
// canonical status code ("OK", "NOT_FOUND", ...), for calls of one method:
// each series is looked up in its family on first use and kept, so that
// counting a call takes no lock.
//
// Thread-safe. Not movable: keep it where it was made (a unique_ptr).
#pragma once

#include <array>
#include <atomic>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "server/metrics/counter.h"
#include "server/metrics/metric_family.h"

namespace lss::metrics {

// "OK", "NOT_FOUND"...; "UNKNOWN" for a value outside the canonical codes.
inline std::string StatusCodeLabel(absl::StatusCode code) {
  std::string name = absl::StatusCodeToString(code);
  return name.empty() ? "UNKNOWN" : name;
}

class CodeCounters {
 public:
  // `leading_values`: the values of every label of `family` but the last.
  CodeCounters(MetricFamily<Counter>& family, std::vector<std::string> leading_values)
      : family_(family), leading_values_(std::move(leading_values)) {}
  CodeCounters(const CodeCounters&) = delete;
  CodeCounters& operator=(const CodeCounters&) = delete;

  Counter& For(absl::StatusCode code) {
    const int index = static_cast<int>(code);
    if (index < 0 || index >= kCodes) return For(absl::StatusCode::kUnknown);
    Counter* counter = counters_[index].load(std::memory_order_acquire);
    return counter != nullptr ? *counter : Resolve(code);
  }

 private:
  // absl::StatusCode's canonical values are 0 to 16.
  static constexpr int kCodes = 17;

  // Two threads may resolve the same code at once: the family hands both
  // the same series, so either store is right.
  Counter& Resolve(absl::StatusCode code) {
    std::vector<std::string> values = leading_values_;
    values.push_back(StatusCodeLabel(code));
    Counter& counter = family_.WithLabels(std::move(values));
    counters_[static_cast<int>(code)].store(&counter, std::memory_order_release);
    return counter;
  }

  MetricFamily<Counter>& family_;
  const std::vector<std::string> leading_values_;
  std::array<std::atomic<Counter*>, kCodes> counters_{};
};

}  // namespace lss::metrics
