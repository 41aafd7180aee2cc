#include "tests/harness/shared_mariadb.h"

#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/memory/memory.h"
#include "absl/random/random.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tests/harness/mariadb_client.h"

namespace lss::harness {
namespace {

constexpr char kHostVar[] = "LSS_TEST_MYSQL_HOST";
constexpr char kPortVar[] = "LSS_TEST_MYSQL_PORT";
constexpr char kUserVar[] = "LSS_TEST_MYSQL_USER";
constexpr char kPasswordVar[] = "LSS_TEST_MYSQL_PASSWORD";

// MariaDB's limit on database names.
constexpr size_t kMaxDatabaseName = 64;

// lss_<label>_<pid>_<counter>_<random>: the pid and counter keep concurrent
// test binaries and suites apart; the random part keeps runs apart on a
// server that outlives them (a pid recurs, a counter restarts).
std::string UniqueDatabaseName(absl::string_view label) {
  static std::atomic<int> counter{0};
  thread_local absl::BitGen bit_gen;  // absl::BitGen is not thread-safe
  const std::string suffix =
      absl::StrFormat("_%d_%d_%08x", getpid(), counter.fetch_add(1),
                      absl::Uniform<uint32_t>(bit_gen));
  std::string clean;
  for (char c : label) {
    const unsigned char u = static_cast<unsigned char>(c);
    clean += std::isalnum(u) ? static_cast<char>(std::tolower(u)) : '_';
  }
  const size_t room = kMaxDatabaseName - suffix.size() - 4;  // "lss_"
  if (clean.size() > room) clean.resize(room);
  return absl::StrCat("lss_", clean, suffix);
}

// The server that LSS_TEST_MYSQL_* describe; nullopt if none of them is set.
absl::StatusOr<std::optional<MariaDbEndpoint>> EndpointFromEnvironment() {
  const char* host = getenv(kHostVar);
  const char* port = getenv(kPortVar);
  const char* user = getenv(kUserVar);
  const char* password = getenv(kPasswordVar);
  if (host == nullptr && port == nullptr && user == nullptr &&
      password == nullptr) {
    return std::nullopt;
  }
  std::vector<std::string> missing;
  if (host == nullptr || *host == '\0') missing.push_back(kHostVar);
  if (port == nullptr || *port == '\0') missing.push_back(kPortVar);
  if (user == nullptr || *user == '\0') missing.push_back(kUserVar);
  if (!missing.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "LSS_TEST_MYSQL_* are partly set; missing: ",
        absl::StrJoin(missing, ", "),
        ". Set HOST, PORT and USER (and PASSWORD) to use a server, or unset "
        "all of them to start a private one."));
  }
  MariaDbEndpoint endpoint;
  endpoint.host = host;
  if (!absl::SimpleAtoi(port, &endpoint.port) || endpoint.port <= 0 ||
      endpoint.port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat(kPortVar, " is not a port number: \"", port, "\""));
  }
  endpoint.user = user;
  endpoint.password = password != nullptr ? password : "";
  return endpoint;
}

}  // namespace

TestDatabase::TestDatabase(TestDatabase&& other) noexcept
    : endpoint_(std::move(other.endpoint_)) {
  other.endpoint_.database.clear();
}

TestDatabase& TestDatabase::operator=(TestDatabase&& other) noexcept {
  if (this != &other) {
    TestDatabase discarded(std::move(*this));  // drops our database
    endpoint_ = std::move(other.endpoint_);
    other.endpoint_.database.clear();
  }
  return *this;
}

TestDatabase::~TestDatabase() {
  if (endpoint_.database.empty()) return;
  // Best effort, with the default database unset so that the drop does not
  // depend on the database still existing. A leftover database on a
  // throw-away CI server harms nothing, so a failure is ignored.
  MariaDbEndpoint server = endpoint_;
  server.database.clear();
  ExecuteSql(server,
             absl::StrCat("DROP DATABASE IF EXISTS `", endpoint_.database, "`"))
      .IgnoreError();
}

absl::Status TestDatabase::Execute(absl::string_view sql,
                                   absl::Duration timeout) const {
  return ExecuteSql(endpoint_, sql, timeout);
}

absl::StatusOr<std::string> TestDatabase::QueryScalar(
    absl::string_view sql, absl::Duration timeout) const {
  return lss::harness::QueryScalar(endpoint_, sql, timeout);
}

absl::StatusOr<std::unique_ptr<TestMariaDbServer>>
TestMariaDbServer::FromEnvironmentOrStart() {
  absl::StatusOr<std::optional<MariaDbEndpoint>> configured =
      EndpointFromEnvironment();
  if (!configured.ok()) return configured.status();
  if (configured->has_value()) {
    const MariaDbEndpoint& endpoint = **configured;
    if (absl::Status status =
            QueryScalar(endpoint, "SELECT 1", absl::Seconds(10)).status();
        !status.ok()) {
      return absl::UnavailableError(absl::StrCat(
          "LSS_TEST_MYSQL_* name a MariaDB server that does not answer "
          "(unset them to start a private server instead): ",
          status.message()));
    }
    return absl::WrapUnique(new TestMariaDbServer(endpoint, nullptr));
  }
  absl::StatusOr<std::unique_ptr<MariaDbProcess>> process =
      MariaDbProcess::Start();
  if (!process.ok()) {
    return absl::Status(
        process.status().code(),
        absl::StrCat("no LSS_TEST_MYSQL_* server is configured and a private "
                     "MariaDB could not start (install mariadb-server, or "
                     "set LSS_TEST_MYSQL_HOST, _PORT, _USER, _PASSWORD): ",
                     process.status().message()));
  }
  MariaDbEndpoint endpoint = (*process)->ApplicationEndpoint();
  endpoint.database.clear();
  return absl::WrapUnique(
      new TestMariaDbServer(std::move(endpoint), *std::move(process)));
}

absl::StatusOr<TestDatabase> TestMariaDbServer::CreateTestDatabase(
    absl::string_view label) {
  const std::string name = UniqueDatabaseName(label);
  // Created by the test account itself, which proves it may (CI's account
  // and the private server's 'lss' both hold the lss_* pattern grant).
  if (absl::Status status =
          ExecuteSql(endpoint_, absl::StrCat("CREATE DATABASE `", name, "`"));
      !status.ok()) {
    return status;
  }
  MariaDbEndpoint endpoint = endpoint_;
  endpoint.database = name;
  return TestDatabase(std::move(endpoint));
}

absl::StatusOr<TestMariaDbServer*> SharedMariaDb() {
  // Started on first use, thread-safely (a function-local static), and
  // destroyed when the test binary exits, which kills a private server and
  // removes its folder.
  static const absl::StatusOr<std::unique_ptr<TestMariaDbServer>> shared =
      TestMariaDbServer::FromEnvironmentOrStart();
  if (!shared.ok()) return shared.status();
  return shared->get();
}

absl::StatusOr<TestDatabase> CreateSharedTestDatabase(absl::string_view label) {
  absl::StatusOr<TestMariaDbServer*> server = SharedMariaDb();
  if (!server.ok()) return server.status();
  return (*server)->CreateTestDatabase(label);
}

}  // namespace lss::harness
