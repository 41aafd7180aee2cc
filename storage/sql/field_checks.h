// Checks of repository arguments that the schema would otherwise enforce
// differently per backend: SQLite stores a string longer than its column,
// MySQL refuses it (or truncates it under INSERT IGNORE). Both backends
// must behave alike, so repositories check before they write.
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace lss::storage {

// INVALID_ARGUMENT naming `field` when `value` is longer than `max` bytes.
absl::Status CheckLength(absl::string_view field, absl::string_view value, size_t max);

// INVALID_ARGUMENT naming "limit" when a page size is below 1.
absl::Status CheckLimit(int limit);

}  // namespace lss::storage
