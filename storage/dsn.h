// The `--db` data source name: which backend, and where. Parsed once at
// startup into a DataSource that the storage layer turns into a SOCI
// connection. A DSN never holds a password (it comes from a file or the
// environment), and nothing here echoes one.
//
// Pure functions; thread-safe.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lss {

enum class DatabaseBackend { kSqlite, kMysql };

struct DataSource {
  DatabaseBackend backend = DatabaseBackend::kSqlite;
  std::string sqlite_path;  // kSqlite: the database file
  // kMysql: the server and database; the password travels separately.
  std::string mysql_user;
  std::string mysql_host;
  int mysql_port = 3306;
  std::string mysql_database;

  bool operator==(const DataSource&) const = default;
};

// Parses "sqlite:PATH" or "mysql://USER@HOST[:PORT]/DATABASE" (port 3306 when
// absent). Anything else, a ":memory:" SQLite database (each pooled
// connection would see its own), a password in the DSN ("USER:PASS@") or a
// name SOCI's connect string cannot carry is INVALID_ARGUMENT naming the
// field "db". Error messages never quote the DSN: it might hold a password
// typed by mistake.
absl::StatusOr<DataSource> ParseDsn(absl::string_view dsn);

// "sqlite:PATH" or "mysql://USER@HOST:PORT/DATABASE": safe for logs.
std::string DescribeDataSource(const DataSource& source);

}  // namespace lss
