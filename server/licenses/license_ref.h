// How a request names one license: by License ID or by Key Number (with,
// without, or with an older revision). Resolving a reference validates it
// first, so bad input never reaches the database or KA.
// Pure value + a function over a repository; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "storage/license_repository.h"

namespace lss {

struct LicenseRef {
  // Exactly one is meaningful: key_number when by_key_number, else
  // license_id (0: the request named neither).
  int64_t license_id = 0;
  std::string key_number;
  // Which the request named, so that an empty one is refused by its name.
  bool by_key_number = false;

  static LicenseRef ById(int64_t id) { return LicenseRef{id, "", false}; }
  static LicenseRef ByKeyNumber(std::string key) { return LicenseRef{0, std::move(key), true}; }
};

// INVALID_ARGUMENT (naming the field) when the reference is empty, the id
// not positive or the key number malformed; NOT_FOUND (LICENSE_NOT_FOUND)
// when no license matches.
absl::StatusOr<LicenseRecord> ResolveLicense(LicenseRepository& licenses, const LicenseRef& ref);

}  // namespace lss
