#include "server/daily/license_renewer.h"

#include <string>
#include <utility>

#include "absl/synchronization/blocking_counter.h"

namespace lss {

RenewalCounts LicenseRenewer::Renew(const std::vector<LicenseRecord>& licenses) {
  if (licenses.empty()) return {};
  std::vector<absl::StatusOr<KaKey>> answers(licenses.size(), absl::UnknownError("not answered"));
  absl::BlockingCounter answered(static_cast<int>(licenses.size()));
  for (size_t i = 0; i < licenses.size(); ++i) {
    ka_.RenewKey(licenses[i].config.key_number, [&answers, &answered, i](absl::StatusOr<KaKey> key) {
      answers[i] = std::move(key);
      answered.DecrementCount();
    });
  }
  answered.Wait();

  RenewalCounts counts;
  for (size_t i = 0; i < licenses.size(); ++i) {
    const LicenseRecord& license = licenses[i];
    absl::Status status = answers[i].status();
    if (status.ok()) {
      Renewal renewal;
      renewal.key_number = license.config.key_number;
      renewal.renewal_due_time = answers[i]->update_due_time;
      renewal.expire_time = answers[i]->expire_time;
      status = licenses_.RecordRenewal(license.license_id, renewal, clock_.Now()).status();
    }
    if (status.ok()) {
      ++counts.renewed;
    } else {
      counts.failures.push_back(
          {license.license_id, license.config.key_number, std::string(status.message())});
    }
  }
  return counts;
}

}  // namespace lss
