#include "server/metrics/rpc_metrics.h"

#include <google/protobuf/descriptor.h>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace lss {
namespace {

// Unary calls take milliseconds; streams (SyncAll, WatchSyncJob) last as
// long as their job, hence the long tail.
std::vector<double> RpcDurationBounds() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800};
}

}  // namespace

RpcMetrics::RpcMetrics(metrics::MetricRegistry& registry, const std::vector<std::string>& methods) {
  metrics::MetricFamily<metrics::Counter>& calls = registry.AddCounter(
      "lss_rpc_calls_total", "LicenseService calls finished, by method and the canonical status code sent.",
      {"method", "code"});
  metrics::MetricFamily<metrics::Histogram>& duration =
      registry.AddHistogram("lss_rpc_duration_seconds",
                            "Time from a LicenseService call's arrival to its status being sent (a "
                            "stream's whole life), by method.",
                            {"method"}, RpcDurationBounds());
  for (const std::string& method : methods) {
    methods_.emplace(method, std::make_unique<MethodSeries>(calls, duration.WithLabels({method}), method));
  }
  const std::string unknown(kUnknownMethodLabel);
  unknown_ = std::make_unique<MethodSeries>(calls, duration.WithLabels({unknown}), unknown);
}

void RpcMetrics::OnCallFinished(const FinishedCall& call) {
  const auto code = static_cast<absl::StatusCode>(call.code);
  const double seconds = absl::ToDoubleSeconds(call.elapsed);
  const auto known = methods_.find(call.method);
  MethodSeries& series = known != methods_.end() ? *known->second : *unknown_;
  series.calls.For(code).Increment();
  series.duration.Observe(seconds);
}

std::vector<std::string> MethodsOfService(absl::string_view service_full_name) {
  std::vector<std::string> methods;
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(std::string(service_full_name));
  if (service == nullptr) return methods;
  for (int i = 0; i < service->method_count(); ++i) methods.push_back(service->method(i)->name());
  return methods;
}

}  // namespace lss
