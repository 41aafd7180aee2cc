// MariaDbProcess: a private server that keeps committed data across kill -9,
// hangs when frozen, and serves the application account as the server will
// use it (TCP, password, its own databases only).
#include "tests/harness/mariadb_process.h"

#include <errmsg.h>
#include <mysql.h>
#include <signal.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/harness/mariadb_client.h"

namespace lss::harness {
namespace {

class MariaDbProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<MariaDbProcess>> server =
        MariaDbProcess::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  std::unique_ptr<MariaDbProcess> server_;
};

TEST_F(MariaDbProcessTest, CommittedRowSurvivesKillAndRestart) {
  ASSERT_TRUE(server_
                  ->Execute("CREATE TABLE lss.crash_probe (id INT PRIMARY KEY, "
                            "note VARCHAR(32)) ENGINE=InnoDB;"
                            "INSERT INTO lss.crash_probe VALUES (1, 'durable')")
                  .ok());
  const int port = server_->port();

  EXPECT_EQ(server_->Kill(), ExitStatus::KilledBy(SIGKILL));
  EXPECT_FALSE(server_->QueryScalar("SELECT 1").ok());

  absl::Status restarted = server_->Restart();
  ASSERT_TRUE(restarted.ok()) << restarted;
  EXPECT_EQ(server_->port(), port);
  absl::StatusOr<std::string> note =
      server_->QueryScalar("SELECT note FROM lss.crash_probe WHERE id = 1");
  ASSERT_TRUE(note.ok()) << note.status();
  EXPECT_EQ(*note, "durable");
}

TEST_F(MariaDbProcessTest,
       FrozenServerTimesOutAnOpenConnectionAndThawRecovers) {
  // A connection made before the freeze, as the server under test holds in
  // its pool: its next query must fail by the client's read timeout rather
  // than hang.
  std::unique_ptr<MYSQL, decltype(&mysql_close)> connection(mysql_init(nullptr),
                                                            &mysql_close);
  ASSERT_NE(connection, nullptr);
  const unsigned int read_timeout_seconds = 1;  // libmariadb's shortest
  mysql_options(connection.get(), MYSQL_OPT_READ_TIMEOUT,
                &read_timeout_seconds);
  const MariaDbEndpoint app = server_->ApplicationEndpoint();
  ASSERT_NE(
      mysql_real_connect(connection.get(), app.host.c_str(), app.user.c_str(),
                         app.password.c_str(), app.database.c_str(),
                         static_cast<unsigned int>(app.port), nullptr, 0),
      nullptr)
      << mysql_error(connection.get());
  ASSERT_EQ(mysql_query(connection.get(), "SELECT 1"), 0);
  mysql_free_result(mysql_store_result(connection.get()));

  server_->Freeze();
  EXPECT_NE(mysql_query(connection.get(), "SELECT 1"), 0);
  EXPECT_EQ(mysql_errno(connection.get()), CR_SERVER_LOST)
      << mysql_error(connection.get());
  // New connections time out too (in the handshake the server never sends).
  absl::StatusOr<std::string> fresh =
      server_->QueryScalar("SELECT 1", absl::Seconds(1));
  EXPECT_TRUE(absl::IsUnavailable(fresh.status())) << fresh.status();

  server_->Thaw();
  absl::StatusOr<std::string> thawed = server_->QueryScalar("SELECT 1");
  ASSERT_TRUE(thawed.ok()) << thawed.status();
  EXPECT_EQ(*thawed, "1");
}

TEST_F(MariaDbProcessTest, ApplicationAccountWorksOverTcpOnItsDatabases) {
  const MariaDbEndpoint app = server_->ApplicationEndpoint();
  EXPECT_EQ(app.host, "127.0.0.1");
  EXPECT_TRUE(app.unix_socket.empty());
  EXPECT_EQ(server_->Dsn(),
            absl::StrCat("mysql://lss@127.0.0.1:", server_->port(), "/lss"));
  EXPECT_EQ(server_->SociConnectString("lss_x"),
            absl::StrCat("db=lss_x user=lss password=lss-test-password "
                         "host=127.0.0.1 port=",
                         server_->port()));

  // Its own database, in utf8mb4.
  ASSERT_TRUE(ExecuteSql(app,
                         "CREATE TABLE t (name VARCHAR(16)); "
                         "INSERT INTO t VALUES ('\xF0\x9F\x94\x91')")
                  .ok());
  absl::StatusOr<std::string> key = QueryScalar(app, "SELECT name FROM t");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(*key, "\xF0\x9F\x94\x91");

  // Any lss_* database, by the pattern grant; nothing else.
  MariaDbEndpoint no_db = app;
  no_db.database.clear();
  EXPECT_TRUE(ExecuteSql(no_db, "CREATE DATABASE lss_suite_1").ok());
  absl::Status other = ExecuteSql(no_db, "CREATE DATABASE other");
  EXPECT_TRUE(absl::IsPermissionDenied(other)) << other;
  absl::Status lookalike = ExecuteSql(no_db, "CREATE DATABASE lssX");
  EXPECT_TRUE(absl::IsPermissionDenied(lookalike))
      << "'_' in the grant must be literal: " << lookalike;

  // A wrong password is refused.
  MariaDbEndpoint wrong = app;
  wrong.password = "wrong";
  EXPECT_TRUE(
      absl::IsPermissionDenied(QueryScalar(wrong, "SELECT 1").status()));
}

TEST_F(MariaDbProcessTest, CreateDatabaseGrantsItToTheApplication) {
  ASSERT_TRUE(server_->CreateDatabase("reporting").ok());
  EXPECT_TRUE(ExecuteSql(server_->ApplicationEndpoint("reporting"),
                         "CREATE TABLE t (x INT)")
                  .ok());
  EXPECT_TRUE(absl::IsInvalidArgument(server_->CreateDatabase("bad name")));
}

TEST_F(MariaDbProcessTest, StopShutsDownCleanlyAndRestartResumes) {
  ASSERT_TRUE(server_
                  ->Execute("CREATE TABLE lss.t (x INT); "
                            "INSERT INTO lss.t VALUES (42)")
                  .ok());
  EXPECT_EQ(server_->Stop(), ExitStatus::Exited(0));

  ASSERT_TRUE(server_->Restart().ok());
  absl::StatusOr<std::string> x = server_->QueryScalar("SELECT x FROM lss.t");
  ASSERT_TRUE(x.ok()) << x.status();
  EXPECT_EQ(*x, "42");
}

}  // namespace
}  // namespace lss::harness
