#include "server/metrics/metered_key_administrator.h"

#include <chrono>
#include <iterator>
#include <string>
#include <utility>

namespace lss {

struct MeteredKeyAdministrator::MethodSeries {
  MethodSeries(metrics::MetricFamily<metrics::Counter>& calls, metrics::Histogram& duration, const std::string& method)
      : calls(calls, {method}), duration(duration) {}
  metrics::CodeCounters calls;
  metrics::Histogram& duration;
};

namespace {

constexpr const char* kMethodNames[] = {"GetKeyInfo", "ListKeys",   "ListKeyTypes", "GetAvailableUpgrades",
                                        "CreateKey",  "UpgradeKey", "RenewKey",     "TerminateKey"};

// A KA call takes milliseconds when KA is well; retries with backoff and a
// wait for an in-flight slot stretch it to seconds.
std::vector<double> KaDurationBounds() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
}

}  // namespace

MeteredKeyAdministrator::MeteredKeyAdministrator(KeyAdministrator& ka, metrics::MetricRegistry& registry) : ka_(ka) {
  static_assert(std::size(kMethodNames) == static_cast<size_t>(kMethodCount));
  metrics::MetricFamily<metrics::Counter>& calls = registry.AddCounter(
      "lss_ka_calls_total", "Calls to the Key Administrator answered, by method and outcome (canonical code).",
      {"method", "outcome"});
  metrics::MetricFamily<metrics::Histogram>& duration = registry.AddHistogram(
      "lss_ka_call_duration_seconds",
      "Time from a Key Administrator call being issued to its answer, retries and the wait for an in-flight slot "
      "included, by method.",
      {"method"}, KaDurationBounds());
  for (int i = 0; i < kMethodCount; ++i) {
    series_[i] = std::make_shared<MethodSeries>(calls, duration.WithLabels({kMethodNames[i]}), kMethodNames[i]);
  }
}

template <typename T>
KaCallback<T> MeteredKeyAdministrator::Metered(Method method, KaCallback<T> done) {
  return [series = series_[method], issued = std::chrono::steady_clock::now(),
          done = std::move(done)](absl::StatusOr<T> answer) mutable {
    series->calls.For(answer.status().code()).Increment();
    series->duration.Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - issued).count());
    std::move(done)(std::move(answer));
  };
}

void MeteredKeyAdministrator::GetKeyInfo(absl::string_view key_number, KaCallback<KaKey> done) {
  ka_.GetKeyInfo(key_number, Metered(kGetKeyInfo, std::move(done)));
}

void MeteredKeyAdministrator::ListKeys(absl::string_view page_token, int page_size, KaCallback<KaKeyPage> done) {
  ka_.ListKeys(page_token, page_size, Metered(kListKeys, std::move(done)));
}

void MeteredKeyAdministrator::ListKeyTypes(KaCallback<std::vector<KaKeyType>> done) {
  ka_.ListKeyTypes(Metered(kListKeyTypes, std::move(done)));
}

void MeteredKeyAdministrator::GetAvailableUpgrades(absl::string_view key_number, KaCallback<KaUpgradeOptions> done) {
  ka_.GetAvailableUpgrades(key_number, Metered(kGetAvailableUpgrades, std::move(done)));
}

void MeteredKeyAdministrator::CreateKey(const KaCreateKeyRequest& request, KaCallback<KaKey> done) {
  ka_.CreateKey(request, Metered(kCreateKey, std::move(done)));
}

void MeteredKeyAdministrator::UpgradeKey(const KaUpgradeKeyRequest& request, KaCallback<KaUpgradeResult> done) {
  ka_.UpgradeKey(request, Metered(kUpgradeKey, std::move(done)));
}

void MeteredKeyAdministrator::RenewKey(absl::string_view key_number, KaCallback<KaKey> done) {
  ka_.RenewKey(key_number, Metered(kRenewKey, std::move(done)));
}

void MeteredKeyAdministrator::TerminateKey(absl::string_view key_number, KaCallback<KaKey> done) {
  ka_.TerminateKey(key_number, Metered(kTerminateKey, std::move(done)));
}

}  // namespace lss
