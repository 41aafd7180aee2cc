// The LicenseService's own metrics, from the facts the server's
// interceptors report about each finished call (call_observer.h):
//   lss_rpc_calls_total{method,code}         calls finished, by status code
//   lss_rpc_duration_seconds{method}          histogram, arrival to status
//                                             (a stream's whole life)
// `code` is the canonical name of the status sent ("OK", "NOT_FOUND").
//
// A method not named at construction is counted as method="unknown": a
// caller may name any method, and must not grow the series without bound.
//
// Thread-safe and lock-free: every series is resolved once.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "server/metrics/code_counters.h"
#include "server/metrics/metric_registry.h"
#include "server/rpc/call_observer.h"

namespace lss {

inline constexpr absl::string_view kUnknownMethodLabel = "unknown";

class RpcMetrics final : public CallObserver {
 public:
  // `methods`: short names ("SyncLicense") whose duration series exist,
  // at zero, from the start.
  RpcMetrics(metrics::MetricRegistry& registry, const std::vector<std::string>& methods);

  void OnCallFinished(const FinishedCall& call) override;

 private:
  struct MethodSeries {
    MethodSeries(metrics::MetricFamily<metrics::Counter>& calls, metrics::Histogram& duration,
                 const std::string& method)
        : calls(calls, {method}), duration(duration) {}
    metrics::CodeCounters calls;
    metrics::Histogram& duration;
  };

  // Filled by the constructor, read-only after: lookups need no lock.
  absl::flat_hash_map<std::string, std::unique_ptr<MethodSeries>> methods_;
  std::unique_ptr<MethodSeries> unknown_;
};

// The short names of the methods of a service linked into this program,
// from its generated descriptor ("licensing.v1.LicenseService"); empty for
// a service it does not know.
std::vector<std::string> MethodsOfService(absl::string_view service_full_name);

}  // namespace lss
