// Every metric of a process, and their exposition for a scrape. The
// process makes one and hands it to whatever records metrics (RpcMetrics,
// MeteredKeyAdministrator, ...); no global registry, so tests build their
// own.
//
// Families are registered at start-up; a registration against the data
// model (a bad or duplicate name, bad bucket bounds) is a bug and aborts.
// The returned families live as long as the registry.
//
// Thread-safe: registration, recording and Render() may run concurrently.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "server/metrics/counter.h"
#include "server/metrics/gauge.h"
#include "server/metrics/histogram.h"
#include "server/metrics/metric_family.h"

namespace lss::metrics {

class MetricRegistry {
 public:
  MetricFamily<Counter>& AddCounter(std::string name, std::string help, std::vector<std::string> label_names = {});
  MetricFamily<Gauge>& AddGauge(std::string name, std::string help, std::vector<std::string> label_names = {});
  // `bounds`: the buckets' upper bounds, finite and strictly increasing.
  MetricFamily<Histogram>& AddHistogram(std::string name, std::string help, std::vector<std::string> label_names,
                                        std::vector<double> bounds);
  // A gauge without labels whose value `read` gives at each scrape (see
  // CallbackGauge for what `read` may do).
  void AddCallbackGauge(std::string name, std::string help, std::function<double()> read);

  // Every family in registration order, in text format 0.0.4.
  std::string Render() const;

 private:
  template <typename Metric>
  MetricFamily<Metric>& Add(std::unique_ptr<MetricFamily<Metric>> family);

  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<MetricFamilyBase>> families_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_set<std::string> names_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lss::metrics
