// SharedMariaDb and TestDatabase: a server from the CI's environment or a
// private one, never a silent skip, and a fresh database per suite.
#include "tests/harness/shared_mariadb.h"

#include <stdlib.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/harness/free_port.h"
#include "tests/harness/mariadb_client.h"

namespace lss::harness {
namespace {

constexpr const char* kVariables[] = {
    "LSS_TEST_MYSQL_HOST", "LSS_TEST_MYSQL_PORT", "LSS_TEST_MYSQL_USER",
    "LSS_TEST_MYSQL_PASSWORD"};

// Sets LSS_TEST_MYSQL_* for one test and restores them afterwards, so that
// the tests below behave the same whether or not CI set them.
class ScopedMysqlEnvironment {
 public:
  ScopedMysqlEnvironment() {
    for (const char* name : kVariables) {
      const char* value = getenv(name);
      saved_.push_back(value != nullptr ? std::optional<std::string>(value)
                                        : std::nullopt);
      unsetenv(name);
    }
  }
  ~ScopedMysqlEnvironment() {
    for (size_t i = 0; i < saved_.size(); ++i) {
      if (saved_[i].has_value()) {
        setenv(kVariables[i], saved_[i]->c_str(), 1);
      } else {
        unsetenv(kVariables[i]);
      }
    }
  }
  void Set(const char* name, const std::string& value) {
    setenv(name, value.c_str(), 1);
  }

 private:
  std::vector<std::optional<std::string>> saved_;
};

TEST(SharedMariaDbTest, GivesEachSuiteAFreshUsableDatabase) {
  absl::StatusOr<TestDatabase> first = CreateSharedTestDatabase("Shared Suite");
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<TestDatabase> second =
      CreateSharedTestDatabase("Shared Suite");
  ASSERT_TRUE(second.ok()) << second.status();

  EXPECT_NE(first->name(), second->name());
  EXPECT_TRUE(absl::StartsWith(first->name(), "lss_shared_suite_"))
      << first->name();
  EXPECT_EQ(first->Dsn(),
            absl::StrCat("mysql://", first->endpoint().user, "@",
                         first->endpoint().host, ":", first->endpoint().port,
                         "/", first->name()));

  ASSERT_TRUE(
      first->Execute("CREATE TABLE t (x INT); INSERT INTO t VALUES (1)").ok());
  absl::StatusOr<std::string> count =
      first->QueryScalar("SELECT COUNT(*) FROM t");
  ASSERT_TRUE(count.ok()) << count.status();
  EXPECT_EQ(*count, "1");
  // The suites do not see each other's tables.
  EXPECT_TRUE(
      absl::IsNotFound(second->QueryScalar("SELECT COUNT(*) FROM t").status()));
}

TEST(SharedMariaDbTest, DropsTheDatabaseWhenDone) {
  absl::StatusOr<TestMariaDbServer*> server = SharedMariaDb();
  ASSERT_TRUE(server.ok()) << server.status();
  std::string name;
  {
    absl::StatusOr<TestDatabase> db = (*server)->CreateTestDatabase("dropped");
    ASSERT_TRUE(db.ok()) << db.status();
    name = db->name();
  }
  absl::StatusOr<std::string> left = QueryScalar(
      (*server)->endpoint(),
      absl::StrCat("SELECT COUNT(*) FROM information_schema.schemata "
                   "WHERE schema_name = '",
                   name, "'"));
  ASSERT_TRUE(left.ok()) << left.status();
  EXPECT_EQ(*left, "0");
}

TEST(SharedMariaDbTest, LongLabelsStillMakeValidNames) {
  absl::StatusOr<TestDatabase> db =
      CreateSharedTestDatabase(std::string(100, 'x'));
  ASSERT_TRUE(db.ok()) << db.status();
  EXPECT_LE(db->name().size(), 64u);
}

TEST(SharedMariaDbTest, UsesTheServerTheEnvironmentNames) {
  // Stands in for the CI's server.
  absl::StatusOr<std::unique_ptr<MariaDbProcess>> ci_server =
      MariaDbProcess::Start();
  ASSERT_TRUE(ci_server.ok()) << ci_server.status();
  ScopedMysqlEnvironment env;
  env.Set("LSS_TEST_MYSQL_HOST", "127.0.0.1");
  env.Set("LSS_TEST_MYSQL_PORT", std::to_string((*ci_server)->port()));
  env.Set("LSS_TEST_MYSQL_USER", (*ci_server)->user());
  env.Set("LSS_TEST_MYSQL_PASSWORD", (*ci_server)->password());

  auto server = TestMariaDbServer::FromEnvironmentOrStart();
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_TRUE((*server)->external());
  EXPECT_EQ((*server)->endpoint().port, (*ci_server)->port());
  absl::StatusOr<TestDatabase> db = (*server)->CreateTestDatabase("ci");
  ASSERT_TRUE(db.ok()) << db.status();
  EXPECT_TRUE(
      (*ci_server)
          ->QueryScalar(absl::StrCat("SHOW DATABASES LIKE '", db->name(), "'"))
          .ok())
      << "the database was not created on the named server";
}

TEST(SharedMariaDbTest, StartsAPrivateServerWhenTheEnvironmentNamesNone) {
  ScopedMysqlEnvironment env;  // all unset
  auto server = TestMariaDbServer::FromEnvironmentOrStart();
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_FALSE((*server)->external());
  ASSERT_NE((*server)->process(), nullptr);
  EXPECT_EQ((*server)->endpoint().port, (*server)->process()->port());
}

TEST(SharedMariaDbTest, IncompleteEnvironmentIsAnErrorNotAFallback) {
  ScopedMysqlEnvironment env;
  env.Set("LSS_TEST_MYSQL_HOST", "127.0.0.1");
  auto server = TestMariaDbServer::FromEnvironmentOrStart();
  ASSERT_FALSE(server.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(server.status())) << server.status();
  EXPECT_TRUE(
      absl::StrContains(server.status().message(), "LSS_TEST_MYSQL_PORT"))
      << server.status();
}

TEST(SharedMariaDbTest, UnreachableEnvironmentServerIsAnErrorNotAFallback) {
  absl::StatusOr<int> closed_port = PickFreeLoopbackPort();
  ASSERT_TRUE(closed_port.ok()) << closed_port.status();
  ScopedMysqlEnvironment env;
  env.Set("LSS_TEST_MYSQL_HOST", "127.0.0.1");
  env.Set("LSS_TEST_MYSQL_PORT", std::to_string(*closed_port));
  env.Set("LSS_TEST_MYSQL_USER", "lss");
  auto server = TestMariaDbServer::FromEnvironmentOrStart();
  ASSERT_FALSE(server.ok());
  EXPECT_TRUE(absl::IsUnavailable(server.status())) << server.status();
}

}  // namespace
}  // namespace lss::harness
