// Secure by default (DESIGN.md §4 "Security"), toward the database: the
// MySQL login and every license cross the link, so a database on another
// machine must be reached over TLS. license-server refuses, at start and
// before connecting, a non-loopback MySQL host without TLS settings, and
// says why, unless the operator explicitly allows it (--allow_insecure_db).
// SQLite is a local file: nothing to encrypt.
// Pure; thread-safe.
#pragma once

#include "absl/status/status.h"
#include "storage/dsn.h"

namespace lss {

// FAILED_PRECONDITION (reason INSECURE_DATABASE) naming the host and the
// flags that would fix it; OK for SQLite, a loopback host
// (IsLoopbackHost: 127.0.0.0/8, ::1, localhost), TLS on, or the risk accepted.
absl::Status CheckDatabasePolicy(const DataSource& source, bool tls, bool allow_insecure);

}  // namespace lss
