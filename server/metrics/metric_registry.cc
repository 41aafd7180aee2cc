#include "server/metrics/metric_registry.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "server/metrics/metric_names.h"

namespace lss::metrics {

template <typename Metric>
MetricFamily<Metric>& MetricRegistry::Add(std::unique_ptr<MetricFamily<Metric>> family) {
  MetricFamily<Metric>& added = *family;
  absl::MutexLock lock(&mu_);
  if (!names_.insert(family->name()).second) MetricsBug(absl::StrCat("metric ", family->name(), " registered twice"));
  families_.push_back(std::move(family));
  // A family without labels has one series: exported at zero from the
  // start, so that a scraper sees it before anything happened.
  if (added.label_names().empty()) added.WithLabels({});
  return added;
}

MetricFamily<Counter>& MetricRegistry::AddCounter(std::string name, std::string help,
                                                  std::vector<std::string> label_names) {
  RequireValidNames(name, label_names);
  return Add(std::make_unique<MetricFamily<Counter>>(std::move(name), std::move(help), std::move(label_names),
                                                     [] { return std::make_unique<Counter>(); }));
}

MetricFamily<Gauge>& MetricRegistry::AddGauge(std::string name, std::string help,
                                              std::vector<std::string> label_names) {
  RequireValidNames(name, label_names);
  return Add(std::make_unique<MetricFamily<Gauge>>(std::move(name), std::move(help), std::move(label_names),
                                                   [] { return std::make_unique<Gauge>(); }));
}

MetricFamily<Histogram>& MetricRegistry::AddHistogram(std::string name, std::string help,
                                                      std::vector<std::string> label_names,
                                                      std::vector<double> bounds) {
  RequireValidNames(name, label_names, /*reserved=*/"le");
  RequireValidBounds(name, bounds);
  return Add(std::make_unique<MetricFamily<Histogram>>(
      std::move(name), std::move(help), std::move(label_names),
      [bounds = std::move(bounds)] { return std::make_unique<Histogram>(bounds); }));
}

void MetricRegistry::AddCallbackGauge(std::string name, std::string help, std::function<double()> read) {
  RequireValidNames(name, {});
  Add(std::make_unique<MetricFamily<CallbackGauge>>(
      std::move(name), std::move(help), std::vector<std::string>{},
      [read = std::move(read)] { return std::make_unique<CallbackGauge>(read); }));
}

std::string MetricRegistry::Render() const {
  std::string out;
  absl::MutexLock lock(&mu_);
  for (const std::unique_ptr<MetricFamilyBase>& family : families_) family->Render(out);
  return out;
}

}  // namespace lss::metrics
