#include "storage/sql/dialect.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/status/error_details.h"
#include "storage/license_repository.h"

namespace lss::storage {

absl::string_view Dialect::name() const {
  return backend_ == DatabaseBackend::kSqlite ? "sqlite" : "mysql";
}

absl::StatusOr<std::string> Dialect::ExpandPlaceholders(absl::string_view script) const {
  const bool sqlite = backend_ == DatabaseBackend::kSqlite;
  std::string expanded = absl::StrReplaceAll(
      script, {
                  // SQLite: only "INTEGER PRIMARY KEY" aliases the rowid (64-bit);
                  // AUTOINCREMENT keeps ids of deleted rows from being reused, as
                  // MySQL's AUTO_INCREMENT does.
                  {"{{ID}}", sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT"
                                    : "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY"},
                  {"{{TEXT}}", sqlite ? "TEXT" : "MEDIUMTEXT"},
                  {"{{ENGINE}}",
                   sqlite ? "" : " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"},
              });
  const size_t unknown = expanded.find("{{");
  if (unknown != std::string::npos) {
    return WithReason(absl::InternalError(absl::StrCat("unknown placeholder in a migration: ",
                                                       expanded.substr(unknown, 20))),
                      kReasonDatabaseError);
  }
  return expanded;
}

std::vector<std::string> Dialect::SessionSetup() const {
  if (backend_ == DatabaseBackend::kSqlite) {
    return {
        // Wait for a competing writer instead of failing at once.
        "PRAGMA busy_timeout = 5000",
        // Readers never block the writer and vice versa; with WAL,
        // synchronous=NORMAL is still crash-safe (a power loss may only
        // lose the last transactions, never corrupt the file).
        "PRAGMA journal_mode = WAL",
        "PRAGMA synchronous = NORMAL",
        "PRAGMA foreign_keys = ON",
        // MySQL compares with utf8mb4_bin (see {{ENGINE}}); make LIKE
        // case-sensitive here too so both backends filter alike.
        "PRAGMA case_sensitive_like = ON",
    };
  }
  return {
      // Every read-modify-write takes row locks (FOR UPDATE) or checks a
      // version, so REPEATABLE READ's snapshot buys nothing; READ COMMITTED
      // drops its gap locks, which deadlock concurrent multi-row inserts.
      "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
      // Refuse bad data instead of truncating it, whatever the server's
      // configured default.
      "SET SESSION sql_mode = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,"
      "NO_ENGINE_SUBSTITUTION,NO_ZERO_DATE,NO_ZERO_IN_DATE'",
  };
}

absl::string_view Dialect::BeginWriteTransaction() const {
  return backend_ == DatabaseBackend::kSqlite ? "BEGIN IMMEDIATE" : "START TRANSACTION";
}

absl::string_view Dialect::ForUpdate() const {
  return backend_ == DatabaseBackend::kSqlite ? "" : " FOR UPDATE";
}

std::string Dialect::TableUsingIndex(absl::string_view table, absl::string_view index) const {
  if (backend_ == DatabaseBackend::kSqlite) return std::string(table);
  return absl::StrCat(table, " FORCE INDEX (", index, ")");
}

std::string Dialect::FilterOnly(absl::string_view column) const {
  return backend_ == DatabaseBackend::kSqlite ? absl::StrCat("+", column) : std::string(column);
}

absl::string_view Dialect::InsertIgnore() const {
  return backend_ == DatabaseBackend::kSqlite ? "INSERT OR IGNORE" : "INSERT IGNORE";
}

std::string Dialect::RowPlaceholders(size_t first, size_t count) const {
  std::string row = "(";
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) row += ", ";
    row += Placeholder(first + i);
  }
  row += ')';
  return row;
}

std::string Dialect::Placeholder(size_t index) const {
  if (backend_ == DatabaseBackend::kSqlite) return "?";
  return absl::StrCat(":p", index);
}

}  // namespace lss::storage
