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
#include "storage/audit_model.h"

namespace lss::storage {

// Column widths of the migrations (storage/migrations/*.sql): the limits
// CheckLength enforces. Change them together with the migration.
inline constexpr size_t kMaxKeyNumberLength = 64;        // key_number, ka_key_number, key prefixes
inline constexpr size_t kMaxLicenseClassLength = 128;    // license_class
inline constexpr size_t kMaxRequestIdLength = 255;       // create_request_id
inline constexpr size_t kMaxJobIdLength = 64;            // job_id
inline constexpr size_t kMaxCreatedByLength = 255;       // sync_jobs.created_by
inline constexpr size_t kMaxOwnerLength = 255;           // sync_job_chunks.owner
inline constexpr size_t kMaxPageTokenLength = 255;       // sync_job_chunks.page_token (0006)
// audit_events: storage/audit_model.h.
// upgrades (0007). Its key numbers, license classes, created_by, owner and
// request id use the widths above.
inline constexpr size_t kMaxUpgradeIdLength = 64;        // upgrade_id
inline constexpr size_t kMaxCapacityUnitLength = 32;     // capacity_unit
inline constexpr size_t kMaxCurrencyLength = 16;         // price_currency

// INVALID_ARGUMENT naming `field` when `value` is longer than `max` bytes.
absl::Status CheckLength(absl::string_view field, absl::string_view value, size_t max);

// INVALID_ARGUMENT naming "limit" when a page size is below 1.
absl::Status CheckLimit(int limit);

}  // namespace lss::storage
