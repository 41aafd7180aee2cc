// ExecuteSql and QueryScalar: SQL for a test's setup and assertions, run
// through libmariadb (the C client), independently of the SOCI code under
// test.
//
// Each call opens a connection, runs its SQL and closes the connection. That
// costs a millisecond or two and buys what tests of crashes need: nothing is
// cached that a killed or restarted server could have invalidated, and no
// session state (an open transaction, a USE) leaks from one call to the next.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tests/harness/mariadb_endpoint.h"

namespace lss::harness {

// Runs `sql`: one statement, or several separated by ';' (all run in order;
// the first failure is returned). `timeout` bounds connecting, and each read
// and write on the connection separately; libmariadb counts in whole
// seconds, so it is rounded up to at least 1 s.
//
// Errors keep MariaDB's number and message; their codes: UNAVAILABLE for
// client-side errors (cannot connect, connection lost, read timeout),
// PERMISSION_DENIED for access errors, NOT_FOUND for an unknown database or
// table, ALREADY_EXISTS for duplicates, INTERNAL otherwise. Thread-safe.
absl::Status ExecuteSql(const MariaDbEndpoint& endpoint, absl::string_view sql,
                        absl::Duration timeout = absl::Seconds(30));

// Runs one query and returns the first column of its first row as text,
// e.g. QueryScalar(endpoint, "SELECT COUNT(*) FROM t") == "3". NOT_FOUND if
// there is no row or the value is NULL. Otherwise as ExecuteSql.
absl::StatusOr<std::string> QueryScalar(
    const MariaDbEndpoint& endpoint, absl::string_view sql,
    absl::Duration timeout = absl::Seconds(30));

}  // namespace lss::harness
