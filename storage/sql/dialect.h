// What differs between the SQL of SQLite and of MySQL/MariaDB, in one place,
// so that queries and migrations are written once.
//
// An immutable value; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/dsn.h"

namespace lss::storage {

class Dialect {
 public:
  explicit Dialect(DatabaseBackend backend) : backend_(backend) {}

  DatabaseBackend backend() const { return backend_; }
  // "sqlite" or "mysql".
  absl::string_view name() const;

  // Replaces the placeholders of a migration script:
  //   {{ID}}      an auto-increment BIGINT primary key column type
  //   {{TEXT}}    a long text column (MEDIUMTEXT on MySQL: TEXT stops at 64 KB)
  //   {{ENGINE}}  the CREATE TABLE suffix (InnoDB, utf8mb4, binary collation
  //               on MySQL, so that '=' and LIKE compare bytes as SQLite does)
  // An unknown "{{...}}" is INTERNAL (reason DATABASE_ERROR): a typo in a
  // migration must fail every test, not reach a server.
  absl::StatusOr<std::string> ExpandPlaceholders(absl::string_view script) const;

  // Statements run on every new connection (and after a reconnect).
  std::vector<std::string> SessionSetup() const;

  // Starts a transaction that will write. SQLite's "BEGIN IMMEDIATE" takes
  // the write lock up front: a deferred BEGIN that reads and then writes can
  // fail with SQLITE_BUSY at the write without waiting, and this lock is
  // what serialises SQLite's read-modify-writes (it has no FOR UPDATE).
  absl::string_view BeginWriteTransaction() const;

  // Appended to a SELECT that reads rows about to be modified: " FOR UPDATE"
  // on MySQL (REPEATABLE READ and READ COMMITTED both allow lost updates
  // otherwise); nothing on SQLite, whose write transaction already excludes
  // every other writer.
  absl::string_view ForUpdate() const;

  // Keeping the planner on the index a query was written for. A SyncAll
  // page finds its licenses by key_base or license_id, a thousand at a
  // time, and filters them by the job's scope and coverage (state,
  // license_id <=, sync_job_id): both planners would otherwise walk the
  // low-selectivity (state, license_id) index instead, every ACTIVE license
  // once per page (NOTES.md: SQLite keeps no statistics, MariaDB converts
  // IN lists below 1,000 values into a join it costs wrongly), which made
  // SyncAll slow down as the table grew.
  //
  // The FROM clause of such a query: "licenses FORCE INDEX (index)" on
  // MySQL ("PRIMARY" for the primary key); "licenses" on SQLite, where
  // FilterOnly does the work.
  std::string TableUsingIndex(absl::string_view table, absl::string_view index) const;
  // `column` in a condition that must only filter the rows found by
  // another index: "+column" on SQLite (its documented way to disqualify a
  // term from index use), `column` on MySQL (FORCE INDEX decides there).
  std::string FilterOnly(absl::string_view column) const;

  // "INSERT OR IGNORE" / "INSERT IGNORE": skips rows that collide with a
  // unique key; the affected-row count is the number inserted. (MySQL's
  // ON DUPLICATE KEY UPDATE cannot count them: SOCI connects with
  // CLIENT_FOUND_ROWS, which counts a no-op update of a duplicate as 1.)
  // IGNORE also turns MySQL's data errors (a value too long) into warnings:
  // callers check lengths before they insert.
  absl::string_view InsertIgnore() const;

  // One row of a multi-row VALUES list, `count` placeholders numbered from
  // `first`: "(:p0, :p1, ...)" for MySQL, "(?, ?, ...)" for SQLite, which
  // looks named parameters up by a linear search (quadratic over the
  // thousands of values of a multi-row INSERT).
  std::string RowPlaceholders(size_t first, size_t count) const;

  // The placeholder of the value at position `index` of a statement built
  // from many values: ":p<index>" for MySQL, "?" for SQLite (see above).
  std::string Placeholder(size_t index) const;

 private:
  DatabaseBackend backend_;
};

}  // namespace lss::storage
