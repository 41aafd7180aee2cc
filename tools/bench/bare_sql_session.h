// How the benchmark's bare programs reach a database: a plain SOCI session
// opened from a connect string, with none of storage/ in between (no pool,
// no dialect, no repository), because DESIGN.md §5 wants every floor
// measured by code that is not ours. SOCI throws; RunSql turns that into a
// Status at this edge, as storage does at its own.
//
// A session is not thread-safe: one per thread.
#pragma once

#include <memory>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bench/bench_config.h"
#include "soci/soci.h"

namespace lss::bench {

// Where a database is, for SOCI. A plain value; copy freely.
struct SqlTarget {
  Backend backend = Backend::kMariaDb;
  // SOCI's connect string for the backend: "db=... user=... host=... port=..."
  // (MySQL) or "db=PATH" (SQLite).
  std::string connect;
};

// A new session. On SQLite it gets license-server's own settings (WAL,
// synchronous=NORMAL, a busy timeout: storage/sql/dialect.cc), so that a
// floor and the figure it judges pay for the same durability; on MariaDB
// the connect string's charset matches the server's (utf8mb4).
absl::StatusOr<std::unique_ptr<soci::session>> OpenBareSession(const SqlTarget& target);

// Runs `body`, turning SOCI's (or any standard) exception into an
// UNAVAILABLE error that starts with `what`.
absl::Status RunSql(absl::string_view what, absl::FunctionRef<void()> body);

}  // namespace lss::bench
