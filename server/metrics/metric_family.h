// A metric family: one name, help text, type and set of label names, and a
// series per distinct set of label values (lss_rpc_calls_total with
// method="SyncLicense",code="OK" is one series).
//
// Thread-safe. Series are created on first use and never removed, so the
// reference WithLabels() returns stays valid for the family's life: code on
// a hot path looks its series up once and keeps it, and from then on
// counting takes no lock.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "server/metrics/metric_names.h"
#include "server/metrics/text_format.h"

namespace lss::metrics {

class MetricFamilyBase {
 public:
  MetricFamilyBase(std::string name, std::string help, std::vector<std::string> label_names)
      : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}
  virtual ~MetricFamilyBase() = default;
  MetricFamilyBase(const MetricFamilyBase&) = delete;
  MetricFamilyBase& operator=(const MetricFamilyBase&) = delete;

  const std::string& name() const { return name_; }
  const std::vector<std::string>& label_names() const { return label_names_; }

  // Appends the family in text format 0.0.4: HELP, TYPE, then its series
  // in the order of their label values.
  virtual void Render(std::string& out) const = 0;

 protected:
  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
};

template <typename Metric>
class MetricFamily final : public MetricFamilyBase {
 public:
  using Factory = std::function<std::unique_ptr<Metric>()>;

  MetricFamily(std::string name, std::string help, std::vector<std::string> label_names, Factory make)
      : MetricFamilyBase(std::move(name), std::move(help), std::move(label_names)), make_(std::move(make)) {}

  // The series of these label values, one per label name in order; created
  // at zero on first use. A count that does not match is a bug (aborts).
  Metric& WithLabels(std::vector<std::string> values) {
    if (values.size() != label_names_.size()) {
      MetricsBug(absl::StrCat(name_, " has ", label_names_.size(), " labels, given ", values.size(), " values"));
    }
    absl::MutexLock lock(&mu_);
    std::unique_ptr<Metric>& series = series_[std::move(values)];
    if (series == nullptr) series = make_();
    return *series;
  }

  void Render(std::string& out) const override {
    AppendHeader(out, name_, help_, Metric::kType);
    absl::MutexLock lock(&mu_);
    for (const auto& [values, metric] : series_) {
      AppendSamples(out, name_, SeriesLabels{label_names_, values}, *metric);
    }
  }

 private:
  const Factory make_;
  mutable absl::Mutex mu_;
  // Ordered by label values, so that scrapes list series in a stable order.
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> series_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lss::metrics
