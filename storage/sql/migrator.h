// Brings a database's schema up to date: applies, in version order, the
// migrations not yet recorded in `schema_migrations(version, name,
// applied_at)`, recording each as it is applied.
//
// Replicas may start at once; exactly one applies each migration and the
// others wait and then find it recorded:
//   MySQL   a named lock (GET_LOCK) per database around check-and-apply.
//           DDL commits implicitly there, so each migration is applied and
//           then recorded; one that fails halfway must be repaired by hand.
//   SQLite  one BEGIN IMMEDIATE transaction around check-and-apply; SQLite's
//           DDL is transactional, so a failure leaves nothing behind.
//
// Thread-safe (it works through a SqlRunner); blocks on the database.
#pragma once

#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "storage/sql/migration.h"
#include "storage/sql/sql_runner.h"

namespace lss::storage {

// OK when every migration in `migrations` (versions 1, 2, ... in order) is
// recorded. FAILED_PRECONDITION (DATABASE_ERROR) when the database records a
// migration this binary does not have (it was migrated by a newer release)
// or records a version under another name. `now` stamps applied_at.
absl::Status ApplyMigrations(SqlRunner& runner, const std::vector<Migration>& migrations,
                             absl::Time now);

}  // namespace lss::storage
