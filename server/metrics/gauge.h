// Prometheus gauges: a value that goes up and down. Gauge is set by the
// code that knows the value; CallbackGauge asks for it at each scrape, for
// values another object already keeps (watchers of a job).
//
// Gauge is thread-safe and lock-free. CallbackGauge is as thread-safe as
// its function, which runs on the scraping thread and must not block for
// long nor touch the registry.
#pragma once

#include <atomic>
#include <functional>
#include <utility>

#include "absl/strings/string_view.h"

namespace lss::metrics {

class Gauge {
 public:
  static constexpr absl::string_view kType = "gauge";

  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  void Add(double delta) { value_.fetch_add(delta, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class CallbackGauge {
 public:
  static constexpr absl::string_view kType = "gauge";

  explicit CallbackGauge(std::function<double()> read) : read_(std::move(read)) {}
  double Value() const { return read_(); }

 private:
  const std::function<double()> read_;
};

}  // namespace lss::metrics
