// The `license` oneof (license_id or key_number) that every request naming
// one license carries, as the domain's LicenseRef. An unset oneof is an
// empty ref, which ResolveLicense refuses naming the field.
#pragma once

#include "server/licenses/license_ref.h"

namespace lss {

template <typename Request>
LicenseRef RefOf(const Request& request) {
  switch (request.license_case()) {
    case Request::kLicenseId:
      return LicenseRef::ById(request.license_id());
    case Request::kKeyNumber:
      return LicenseRef::ByKeyNumber(request.key_number());
    default:
      return LicenseRef{};
  }
}

}  // namespace lss
