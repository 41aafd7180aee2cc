// A LicenseFilter as SQL conditions on the `licenses` table, written once
// for every query that selects licenses by filter: ListLicenses' pages, the
// cutting of a SyncAll job into chunks, and the licenses of one chunk. The
// same filter therefore selects the same licenses wherever it is used.
//
// Pure functions; thread-safe.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "storage/license_model.h"
#include "storage/sql/dialect.h"
#include "storage/sql/sql_statement.h"

namespace lss::storage {

// Appends " AND <condition>" to `sql` for every set field of `filter`, and
// the values of their placeholders to `params`, in the same order (SOCI
// binds by position). Columns are unqualified: `sql` selects from
// `licenses` alone.
void AppendLicenseFilter(const LicenseFilter& filter, std::string& sql, SqlParams& params);

// The same conditions as filters only (Dialect::FilterOnly): for queries
// that find their rows by another index (a SyncAll page's key lookups),
// where an index on a filtered column would be the wrong plan.
void AppendLicenseFilterOnly(const LicenseFilter& filter, const Dialect& dialect, std::string& sql,
                             SqlParams& params);

// A LIKE pattern matching strings that start with `prefix`, escaped with
// '!' (named by ESCAPE '!' in the condition: a backslash would itself need
// escaping differently in MySQL and SQLite string literals).
std::string LikePrefixPattern(absl::string_view prefix);

}  // namespace lss::storage
