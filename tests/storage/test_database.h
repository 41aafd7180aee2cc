// Fresh, empty databases for the storage tests, one per backend, with raw
// SQL access for what the repository API cannot do (yet): set a column,
// count rows.
//
//   SQLite   a file in a new temporary directory, removed afterwards.
//   MariaDB  a new database `lss_test_<random>` on the server named by
//            LSS_TEST_MYSQL_HOST / _PORT / _USER / _PASSWORD (set by
//            tools/dev/mariadb.sh start DIR; source DIR/env), dropped
//            afterwards. Without those variables Create fails, and the
//            MariaDB tests with it: they are never skipped silently.
//
// A TestDatabase is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/database.h"

namespace soci {
class session;
}  // namespace soci

namespace lss::storage_test {

class TestDatabase {
 public:
  virtual ~TestDatabase();

  // Opens this database through Database::Open (default pool size).
  const DatabaseOptions& options() const { return options_; }

  // Options naming a database that cannot be reached (no server on the
  // port, or a directory that does not exist), with a password that must
  // not appear in any error.
  virtual DatabaseOptions UnreachableOptions() const = 0;

  // Runs one statement on a connection of its own.
  absl::Status Execute(const std::string& sql);
  // The integer in the first column of the first row of `sql`.
  absl::StatusOr<int64_t> QueryInt(const std::string& sql);

 protected:
  TestDatabase(DatabaseOptions options, std::unique_ptr<soci::session> session);

 private:
  DatabaseOptions options_;
  std::unique_ptr<soci::session> session_;
};

absl::StatusOr<std::unique_ptr<TestDatabase>> CreateSqliteTestDatabase();
absl::StatusOr<std::unique_ptr<TestDatabase>> CreateMariaDbTestDatabase();

// The type parameters of the storage test suite.
struct SqliteBackend {
  static absl::StatusOr<std::unique_ptr<TestDatabase>> Create() {
    return CreateSqliteTestDatabase();
  }
};
struct MariaDbBackend {
  static absl::StatusOr<std::unique_ptr<TestDatabase>> Create() {
    return CreateMariaDbTestDatabase();
  }
};

}  // namespace lss::storage_test
