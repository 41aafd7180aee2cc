// The `licenses` table seen from C++: the columns a LicenseRecord is read
// from, the values a new license is inserted with, and the conversion
// between rows and records (times as stored_time.h, lists as
// value_codec.h).
//
// QueryLicenses throws SOCI's exceptions: call it inside SqlRunner work.
// Everything else is pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "storage/license_model.h"
#include "storage/license_repository.h"
#include "storage/sql/sql_statement.h"

namespace lss::storage {

// The SELECT list QueryLicenses reads, in its order.
extern const absl::string_view kLicenseColumns;

// The column list of an INSERT of a new license, and how many there are.
extern const absl::string_view kLicenseInsertColumns;
inline constexpr size_t kLicenseInsertColumnCount = 20;

// Runs `sql`, a "SELECT <kLicenseColumns> FROM licenses ...", and converts
// its rows. DATA_LOSS (DATABASE_ERROR) for a row that does not decode.
absl::StatusOr<std::vector<LicenseRecord>> QueryLicenses(soci::session& session,
                                                         const std::string& sql,
                                                         const SqlParams& params);

// NOT_FOUND (LICENSE_NOT_FOUND) naming the license.
absl::Status LicenseNotFound(int64_t license_id);

// One license by id; NOT_FOUND (LICENSE_NOT_FOUND) when there is none.
// `lock` is Dialect::ForUpdate() when the row is about to be modified in
// this transaction.
absl::StatusOr<LicenseRecord> LoadLicenseById(soci::session& session, int64_t license_id,
                                              absl::string_view lock = "");

// "PLSK.00012345" for any revision of the key, or none: what identifies the
// key in the licenses.key_base column. INVALID_ARGUMENT naming `field` for a
// malformed key number.
absl::StatusOr<std::string> KeyBaseOf(absl::string_view key_number, absl::string_view field = "key_number");

// Appends the kLicenseInsertColumns values of `license` to `params`: state
// ACTIVE, version 1, no mismatches, not placing an order. `key_base` is
// KeyBaseOf(license.config.key_number).
void AppendLicenseInsertValues(const NewLicense& license, absl::string_view key_base,
                               absl::Time now, SqlParams& params);

}  // namespace lss::storage
