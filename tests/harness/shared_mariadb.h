// SharedMariaDb: the MariaDB server that storage and integration suites
// share, and a fresh database per suite on it.
//
// Where the server comes from:
//  - CI starts one throw-away server and describes it in the environment:
//    LSS_TEST_MYSQL_HOST, LSS_TEST_MYSQL_PORT, LSS_TEST_MYSQL_USER and
//    LSS_TEST_MYSQL_PASSWORD (may be empty). The account must be allowed to
//    create and drop databases named lss_*.
//  - Otherwise the first call starts a private MariaDbProcess for the test
//    binary (about a second), which lives until the binary exits.
// A test never skips for want of a MariaDB: if the environment names a
// server that cannot be reached, or no private server can start, the error
// says so and the test is expected to fail on it:
//
//   static void SetUpTestSuite() {
//     absl::StatusOr<TestDatabase> db = CreateSharedTestDatabase("storage");
//     ASSERT_TRUE(db.ok()) << db.status();
//     ...
//   }
#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tests/harness/mariadb_endpoint.h"
#include "tests/harness/mariadb_process.h"

namespace lss::harness {

// A database created for one test suite, named lss_<label>_<unique suffix>,
// dropped when the TestDatabase is destroyed. Movable, not copyable. The
// accessors and SQL helpers are thread-safe.
class TestDatabase {
 public:
  TestDatabase(TestDatabase&& other) noexcept;
  TestDatabase& operator=(TestDatabase&& other) noexcept;
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;
  ~TestDatabase();

  const std::string& name() const { return endpoint_.database; }
  // The test account, with this database as its default database.
  const MariaDbEndpoint& endpoint() const { return endpoint_; }
  // For `license-server --db`; pass password() as LSS_DB_PASSWORD.
  std::string Dsn() const { return endpoint_.Dsn(); }
  const std::string& password() const { return endpoint_.password; }
  // For soci::session(soci::mysql, ...).
  std::string SociConnectString() const {
    return endpoint_.SociConnectString();
  }

  // SQL in this database (see mariadb_client.h).
  absl::Status Execute(absl::string_view sql,
                       absl::Duration timeout = absl::Seconds(30)) const;
  absl::StatusOr<std::string> QueryScalar(
      absl::string_view sql, absl::Duration timeout = absl::Seconds(30)) const;

 private:
  friend class TestMariaDbServer;
  explicit TestDatabase(MariaDbEndpoint endpoint)
      : endpoint_(std::move(endpoint)) {}

  MariaDbEndpoint endpoint_;  // database empty once moved from
};

// A MariaDB server for tests: the CI's, or a private one. Thread-safe.
class TestMariaDbServer {
 public:
  // The server the LSS_TEST_MYSQL_* variables describe, checked with a query,
  // if any of them is set; otherwise a newly started private MariaDbProcess.
  // InvalidArgumentError for incomplete or malformed variables,
  // UnavailableError if their server does not answer: never a silent
  // fallback from a configured server to a private one.
  static absl::StatusOr<std::unique_ptr<TestMariaDbServer>>
  FromEnvironmentOrStart();

  // True when the server came from LSS_TEST_MYSQL_*.
  bool external() const { return process_ == nullptr; }
  // The test account, no default database.
  const MariaDbEndpoint& endpoint() const { return endpoint_; }
  // The private server, for tests that want its controls; nullptr if
  // external().
  MariaDbProcess* process() const { return process_.get(); }

  // Creates an empty database lss_<label>_<suffix>, unique across processes
  // and runs; `label` (typically the suite's name) is lowercased, and
  // characters other than letters, digits and '_' become '_'.
  absl::StatusOr<TestDatabase> CreateTestDatabase(absl::string_view label);

 private:
  TestMariaDbServer(MariaDbEndpoint endpoint,
                    std::unique_ptr<MariaDbProcess> process)
      : endpoint_(std::move(endpoint)), process_(std::move(process)) {}

  const MariaDbEndpoint endpoint_;
  const std::unique_ptr<MariaDbProcess> process_;
};

// The test binary's shared server, created by the first call (see the file
// comment). A failure is remembered: every later call returns the same error,
// so each suite that needs the server fails with the reason.
absl::StatusOr<TestMariaDbServer*> SharedMariaDb();

// SharedMariaDb()->CreateTestDatabase(label), or SharedMariaDb()'s error.
absl::StatusOr<TestDatabase> CreateSharedTestDatabase(absl::string_view label);

}  // namespace lss::harness
