#include "tests/storage/test_database.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "soci/mysql/soci-mysql.h"
#include "soci/soci.h"
#include "soci/sqlite3/soci-sqlite3.h"
#include "storage/dsn.h"
#include "storage/sql/connect_string.h"

namespace lss::storage_test {
namespace {

absl::Status SociFailure(absl::string_view action, const std::exception& e) {
  return absl::InternalError(absl::StrCat(action, ": ", e.what()));
}

std::string RandomSuffix() {
  std::random_device device;
  std::mt19937_64 random(device());
  return absl::StrCat(absl::Hex(random(), absl::kZeroPad16));
}

// A loopback port nobody listens on: bound, then released.
absl::StatusOr<int> ClosedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::InternalError(absl::StrCat("socket: ", std::strerror(errno)));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const std::string error = std::strerror(errno);
    close(fd);
    return absl::InternalError(absl::StrCat("bind: ", error));
  }
  close(fd);
  return ntohs(address.sin_port);
}

// The server of `source`, reached through information_schema, which every
// user may use: the test database is created and dropped from there.
DataSource AdminSource(DataSource source) {
  source.mysql_database = "information_schema";
  return source;
}

class SqliteTestDatabase final : public TestDatabase {
 public:
  SqliteTestDatabase(std::string directory, DatabaseOptions options,
                     std::unique_ptr<soci::session> session)
      : TestDatabase(std::move(options), std::move(session)), directory_(std::move(directory)) {}

  ~SqliteTestDatabase() override {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }

  DatabaseOptions UnreachableOptions() const override {
    DatabaseOptions options;
    options.dsn = absl::StrCat("sqlite:", directory_, "/no/such/directory/licenses.db");
    options.password = "sqlite-needs-no-password-8c1f";
    return options;
  }

 private:
  std::string directory_;
};

class MariaDbTestDatabase final : public TestDatabase {
 public:
  MariaDbTestDatabase(DataSource server, std::string password, DatabaseOptions options,
                      std::unique_ptr<soci::session> session)
      : TestDatabase(std::move(options), std::move(session)),
        server_(std::move(server)),
        password_(std::move(password)) {}

  ~MariaDbTestDatabase() override {
    try {
      soci::session admin(soci::mysql, storage::SociConnectString(AdminSource(server_), {}, password_));
      admin << "DROP DATABASE IF EXISTS " + server_.mysql_database;
    } catch (const std::exception&) {
      // The server is gone: so is the database, or the CI throws it away.
    }
  }

  DatabaseOptions UnreachableOptions() const override {
    DatabaseOptions options;
    absl::StatusOr<int> port = ClosedPort();
    options.dsn = absl::StrCat("mysql://", server_.mysql_user, "@127.0.0.1:", port.value_or(1), "/",
                               server_.mysql_database);
    options.password = "wrong-password-7d2e";
    return options;
  }

 private:
  DataSource server_;  // with the test database's name
  std::string password_;
};

const char* Env(const char* name) {
  const char* value = getenv(name);
  return value != nullptr && *value != '\0' ? value : nullptr;
}

}  // namespace

TestDatabase::TestDatabase(DatabaseOptions options, std::unique_ptr<soci::session> session)
    : options_(std::move(options)), session_(std::move(session)) {}

TestDatabase::~TestDatabase() = default;

absl::Status TestDatabase::Execute(const std::string& sql) {
  try {
    *session_ << sql;
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return SociFailure(sql, e);
  }
}

absl::StatusOr<int64_t> TestDatabase::QueryInt(const std::string& sql) {
  try {
    long long value = 0;
    *session_ << sql, soci::into(value);
    return value;
  } catch (const std::exception& e) {
    return SociFailure(sql, e);
  }
}

absl::StatusOr<std::unique_ptr<TestDatabase>> CreateSqliteTestDatabase() {
  const char* tmp = Env("TMPDIR");
  std::string pattern = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/lss-storage-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp ", pattern, ": ", std::strerror(errno)));
  }
  DatabaseOptions options;
  options.dsn = absl::StrCat("sqlite:", pattern, "/licenses.db");
  try {
    auto session = std::make_unique<soci::session>(
        soci::sqlite3, absl::StrCat("db=\"", pattern, "/licenses.db\" timeout=5"));
    return std::make_unique<SqliteTestDatabase>(pattern, std::move(options), std::move(session));
  } catch (const std::exception& e) {
    return SociFailure("open the SQLite test database", e);
  }
}

absl::StatusOr<std::unique_ptr<TestDatabase>> CreateMariaDbTestDatabase() {
  const char* host = Env("LSS_TEST_MYSQL_HOST");
  const char* port = Env("LSS_TEST_MYSQL_PORT");
  const char* user = Env("LSS_TEST_MYSQL_USER");
  const char* password = Env("LSS_TEST_MYSQL_PASSWORD");
  if (host == nullptr || port == nullptr || user == nullptr || password == nullptr) {
    return absl::FailedPreconditionError(
        "the MariaDB tests need a server: set LSS_TEST_MYSQL_HOST, LSS_TEST_MYSQL_PORT, "
        "LSS_TEST_MYSQL_USER and LSS_TEST_MYSQL_PASSWORD (tools/dev/mariadb.sh start DIR && "
        "source DIR/env)");
  }
  const std::string database = absl::StrCat("lss_test_", RandomSuffix());
  absl::StatusOr<DataSource> server =
      ParseDsn(absl::StrCat("mysql://", user, "@", host, ":", port, "/", database));
  if (!server.ok()) return server.status();
  DatabaseOptions options;
  options.dsn = DescribeDataSource(*server);
  options.password = password;
  try {
    // CREATE DATABASE from a connection to a database every user may use.
    soci::session admin(soci::mysql, storage::SociConnectString(AdminSource(*server), {}, password));
    admin << "CREATE DATABASE " + database + " CHARACTER SET utf8mb4";
    auto session =
        std::make_unique<soci::session>(soci::mysql, storage::SociConnectString(*server, {}, password));
    return std::make_unique<MariaDbTestDatabase>(*std::move(server), password, std::move(options),
                                                 std::move(session));
  } catch (const std::exception& e) {
    return SociFailure(absl::StrCat("create the MariaDB test database ", database), e);
  }
}

}  // namespace lss::storage_test
