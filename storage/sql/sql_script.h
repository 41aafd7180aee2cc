// Splits a migration script into the statements SOCI runs one at a time
// (neither backend's client API runs several statements in one call by
// default).
//
// Pure function; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace lss::storage {

// The statements of `script`, each without its terminating ';' and without
// surrounding blank space. '--' comments to the end of the line are dropped;
// ';' inside '...', "..." or `...` quotes does not end a statement. Empty
// statements (";;", a trailing comment) are skipped. Backslash escapes in
// quotes are not understood: write '' for a quote inside a string.
std::vector<std::string> SplitSqlStatements(absl::string_view script);

}  // namespace lss::storage
