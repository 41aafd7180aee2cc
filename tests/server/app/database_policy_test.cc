#include "server/app/database_policy.h"

#include <gtest/gtest.h>

#include "common/status/error_details.h"

namespace lss {
namespace {

DataSource Mysql(const char* host) {
  DataSource source;
  source.backend = DatabaseBackend::kMysql;
  source.mysql_user = "lss";
  source.mysql_host = host;
  source.mysql_port = 3306;
  source.mysql_database = "licenses";
  return source;
}

TEST(DatabasePolicyTest, LoopbackHostsNeedNoTls) {
  for (const char* host : {"127.0.0.1", "127.9.8.7", "localhost", "LocalHost", "::1"}) {
    EXPECT_TRUE(CheckDatabasePolicy(Mysql(host), false, false).ok()) << host;
  }
}

TEST(DatabasePolicyTest, AnyOtherHostNeedsTlsOrAnExplicitRisk) {
  for (const char* host : {"10.1.2.3", "db-host", "db.internal", "127.0.0.1.nip.io", "128.0.0.1", "0.0.0.0"}) {
    const absl::Status refused = CheckDatabasePolicy(Mysql(host), false, false);
    EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << host;
    EXPECT_EQ(ReasonOf(refused), "INSECURE_DATABASE") << host;
    EXPECT_NE(refused.message().find(std::string(host) + ":3306"), absl::string_view::npos) << refused;
    EXPECT_NE(refused.message().find("--db_tls_ca_file"), absl::string_view::npos) << refused;
    EXPECT_NE(refused.message().find("--allow_insecure_db"), absl::string_view::npos) << refused;

    EXPECT_TRUE(CheckDatabasePolicy(Mysql(host), true, false).ok()) << host;
    EXPECT_TRUE(CheckDatabasePolicy(Mysql(host), false, true).ok()) << host;
  }
}

TEST(DatabasePolicyTest, SqliteIsUnaffected) {
  DataSource sqlite;
  sqlite.backend = DatabaseBackend::kSqlite;
  sqlite.sqlite_path = "/var/lib/lss/licenses.db";
  EXPECT_TRUE(CheckDatabasePolicy(sqlite, false, false).ok());
}

}  // namespace
}  // namespace lss
