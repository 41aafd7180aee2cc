#include "storage/sql/field_checks.h"

#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"

namespace lss::storage {

absl::Status CheckLength(absl::string_view field, absl::string_view value, size_t max) {
  if (value.size() <= max) return absl::OkStatus();
  return InvalidArgumentError(field, absl::StrCat("longer than ", max, " characters"));
}

absl::Status CheckLimit(int limit) {
  if (limit >= 1) return absl::OkStatus();
  return InvalidArgumentError("limit", absl::StrCat("must be at least 1, not ", limit));
}

}  // namespace lss::storage
