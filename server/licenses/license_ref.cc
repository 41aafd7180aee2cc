#include "server/licenses/license_ref.h"

#include "absl/strings/str_cat.h"
#include "common/key_number.h"
#include "common/status/error_details.h"

namespace lss {

absl::StatusOr<LicenseRecord> ResolveLicense(LicenseRepository& licenses, const LicenseRef& ref) {
  if (ref.license_id < 0) return InvalidArgumentError("license_id", "must be positive");
  if (ref.license_id > 0) {
    absl::StatusOr<LicenseRecord> found = licenses.Get(ref.license_id);
    if (absl::IsNotFound(found.status())) {
      return WithReason(absl::NotFoundError(absl::StrCat("no license with License ID ", ref.license_id)),
                        kReasonLicenseNotFound);
    }
    return found;
  }
  if (ref.by_key_number && ref.key_number.empty()) return InvalidArgumentError("key_number", "must not be empty");
  if (ref.key_number.empty()) {
    return InvalidArgumentError("license_id", "name the license by license_id or key_number",
                                "LICENSE_NOT_NAMED");
  }
  absl::StatusOr<KeyNumber> key = ParseKeyNumber(ref.key_number);
  if (!key.ok()) return key.status();
  absl::StatusOr<LicenseRecord> found = licenses.FindByKeyNumber(key->ToString());
  if (absl::IsNotFound(found.status())) {
    return WithReason(absl::NotFoundError(absl::StrCat("no license holds key ", key->Base())),
                      kReasonLicenseNotFound);
  }
  return found;
}

}  // namespace lss
