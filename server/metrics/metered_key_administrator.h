// A KeyAdministrator that counts and times every call to the one it wraps:
//   lss_ka_calls_total{method,outcome}      calls answered, by outcome: the
//                                           canonical code of the answer
//                                           ("OK", "UNAVAILABLE", "NOT_FOUND")
//   lss_ka_call_duration_seconds{method}    histogram, from the call being
//                                           issued to its callback, so it
//                                           includes the client's retries and
//                                           its wait for a free in-flight slot
// `method` is the KeyAdministrator method ("GetKeyInfo").
//
// Thread-safe, as the wrapped KeyAdministrator is. Callbacks record into the
// registry's series, not into this object: the registry must outlive every
// call in flight; this object and `ka` need only outlive the calls' issue.
#pragma once

#include <array>
#include <memory>

#include "client/key_administrator.h"
#include "server/metrics/code_counters.h"
#include "server/metrics/metric_registry.h"

namespace lss {

class MeteredKeyAdministrator final : public KeyAdministrator {
 public:
  MeteredKeyAdministrator(KeyAdministrator& ka, metrics::MetricRegistry& registry);

  void GetKeyInfo(absl::string_view key_number, KaCallback<KaKey> done) override;
  void ListKeys(absl::string_view page_token, int page_size, KaCallback<KaKeyPage> done) override;
  void ListKeyTypes(KaCallback<std::vector<KaKeyType>> done) override;
  void GetAvailableUpgrades(absl::string_view key_number, KaCallback<KaUpgradeOptions> done) override;
  void CreateKey(const KaCreateKeyRequest& request, KaCallback<KaKey> done) override;
  void UpgradeKey(const KaUpgradeKeyRequest& request, KaCallback<KaUpgradeResult> done) override;
  void RenewKey(absl::string_view key_number, KaCallback<KaKey> done) override;
  void TerminateKey(absl::string_view key_number, KaCallback<KaKey> done) override;

 private:
  // The series of one method, in the registry's families.
  struct MethodSeries;
  enum Method {
    kGetKeyInfo,
    kListKeys,
    kListKeyTypes,
    kGetAvailableUpgrades,
    kCreateKey,
    kUpgradeKey,
    kRenewKey,
    kTerminateKey,
    kMethodCount
  };

  template <typename T>
  KaCallback<T> Metered(Method method, KaCallback<T> done);

  KeyAdministrator& ka_;
  // Shared with the callbacks in flight, which may outlive this object.
  std::array<std::shared_ptr<MethodSeries>, kMethodCount> series_;
};

}  // namespace lss
