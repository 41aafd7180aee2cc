// What an audit event says about the license a call concerns: first what
// the request names, then what the answer tells.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "server/audit/audit_trail.h"
#include "server/licenses/license_ref.h"
#include "storage/license_model.h"

namespace lss {

inline AuditedCall AuditOf(absl::string_view method, const LicenseRef& ref) {
  AuditedCall call{std::string(method), absl::nullopt, ref.key_number, ""};
  if (ref.license_id != 0) call.license_id = ref.license_id;
  return call;
}

inline void AboutLicense(const LicenseRecord& license, AuditedCall& call) {
  call.license_id = license.license_id;
  call.key_number = license.config.key_number;
}

}  // namespace lss
