#include "storage/dsn.h"

#include "common/status/error_details.h"
#include "gtest/gtest.h"
#include "storage/sql/connect_string.h"

namespace lss {
namespace {

TEST(DsnTest, ParsesSqlite) {
  absl::StatusOr<DataSource> source = ParseDsn("sqlite:/var/lib/lss/licenses.db");
  ASSERT_TRUE(source.ok()) << source.status();
  EXPECT_EQ(source->backend, DatabaseBackend::kSqlite);
  EXPECT_EQ(source->sqlite_path, "/var/lib/lss/licenses.db");
  EXPECT_EQ(DescribeDataSource(*source), "sqlite:/var/lib/lss/licenses.db");

  EXPECT_EQ(ParseDsn("sqlite:relative dir/x.db")->sqlite_path, "relative dir/x.db");
}

TEST(DsnTest, ParsesMysqlWithAndWithoutPort) {
  absl::StatusOr<DataSource> source = ParseDsn("mysql://lss@db.internal:3307/licensing");
  ASSERT_TRUE(source.ok()) << source.status();
  EXPECT_EQ(source->backend, DatabaseBackend::kMysql);
  EXPECT_EQ(source->mysql_user, "lss");
  EXPECT_EQ(source->mysql_host, "db.internal");
  EXPECT_EQ(source->mysql_port, 3307);
  EXPECT_EQ(source->mysql_database, "licensing");
  EXPECT_EQ(DescribeDataSource(*source), "mysql://lss@db.internal:3307/licensing");

  source = ParseDsn("mysql://lss@127.0.0.1/licensing");
  ASSERT_TRUE(source.ok()) << source.status();
  EXPECT_EQ(source->mysql_port, 3306);
}

TEST(DsnTest, RejectsEverythingElseNamingTheDbField) {
  for (const char* dsn :
       {"", "licenses.db", "sqlite:", "sqlite::memory:", "sqlite:/tmp/a\"b.db", "postgres://u@h/d",
        "mysql://", "mysql://h/d", "mysql://@h/d", "mysql://u@/d", "mysql://u@h", "mysql://u@h/",
        "mysql://u@h:0/d", "mysql://u@h:65536/d", "mysql://u@h:x/d", "mysql://u@h/d;drop",
        "mysql://u@h/d?ssl=1", "mysql://u@h:3306:1/d", "MYSQL://u@h/d"}) {
    absl::StatusOr<DataSource> source = ParseDsn(dsn);
    ASSERT_FALSE(source.ok()) << dsn;
    EXPECT_EQ(source.status().code(), absl::StatusCode::kInvalidArgument) << dsn;
    ASSERT_EQ(FieldViolationsOf(source.status()).size(), 1u) << dsn;
    EXPECT_EQ(FieldViolationsOf(source.status())[0].field, "db");
  }
}

TEST(DsnTest, APasswordInTheDsnIsRefusedAndNotEchoed) {
  absl::StatusOr<DataSource> source = ParseDsn("mysql://lss:hunter2secret@h/d");
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.status().message().find("hunter2secret"), absl::string_view::npos)
      << source.status();
}

TEST(ConnectStringTest, QuotesValuesForSoci) {
  DataSource source = ParseDsn("mysql://lss@localhost:3310/licensing").value();
  const std::string connect = storage::SociConnectString(source, {}, "it's a \\ pass");
  EXPECT_NE(connect.find("password='it\\'s a \\\\ pass'"), std::string::npos) << connect;
  // libmariadb would take "localhost" to mean its default UNIX socket.
  EXPECT_NE(connect.find("host='127.0.0.1'"), std::string::npos) << connect;
  EXPECT_NE(connect.find("port=3310"), std::string::npos) << connect;
  // Without TLS settings, no TLS key at all: SOCI would turn TLS on for any.
  EXPECT_EQ(connect.find("ssl"), std::string::npos) << connect;

  source = ParseDsn("sqlite:/tmp/with space/x.db").value();
  EXPECT_EQ(storage::SociConnectString(source, {}, ""), "db=\"/tmp/with space/x.db\"");
}

TEST(ConnectStringTest, TlsFilesAreQuotedForSoci) {
  const DataSource source = ParseDsn("mysql://lss@db.internal:3306/licensing").value();
  const DatabaseTlsOptions tls = {.ca_file = "/etc/lss/it's ca.pem",
                                  .cert_file = "/etc/lss/back\\slash;{x}.pem",
                                  .key_file = "/etc/lss/client key.pem"};
  const std::string connect = storage::SociConnectString(source, tls, "pw");
  EXPECT_NE(connect.find(" sslca='/etc/lss/it\\'s ca.pem'"), std::string::npos) << connect;
  EXPECT_NE(connect.find(" sslcert='/etc/lss/back\\\\slash;{x}.pem'"), std::string::npos) << connect;
  EXPECT_NE(connect.find(" sslkey='/etc/lss/client key.pem'"), std::string::npos) << connect;
}

TEST(ConnectStringTest, VerificationTravelsInTheHostAsALibmariadbConnectionString) {
  // SOCI 4.0.3 has no key for MYSQL_OPT_SSL_VERIFY_SERVER_CERT; libmariadb
  // 3.3 reads a host holding ';' as option-file keys.
  const DataSource source = ParseDsn("mysql://lss@db.internal:3307/licensing").value();
  const std::string verified = storage::SociConnectString(source, {.ca_file = "/ca.pem"}, "pw");
  EXPECT_NE(verified.find(" host='host=db.internal;ssl-verify-server-cert=1' "), std::string::npos) << verified;
  EXPECT_NE(verified.find(" port=3307"), std::string::npos) << verified;
  EXPECT_NE(verified.find(" sslca='/ca.pem'"), std::string::npos) << verified;
  EXPECT_EQ(verified.find("sslcert"), std::string::npos) << verified;

  const std::string chain_only =
      storage::SociConnectString(source, {.ca_file = "/ca.pem", .verify_server_cert = false}, "pw");
  EXPECT_NE(chain_only.find(" host='db.internal' "), std::string::npos) << chain_only;
  EXPECT_EQ(chain_only.find("verify"), std::string::npos) << chain_only;

  // Verification without TLS would be meaningless, and SOCI would not turn
  // TLS on for it anyway: the host stays plain.
  const std::string plaintext = storage::SociConnectString(source, {.verify_server_cert = true}, "pw");
  EXPECT_NE(plaintext.find(" host='db.internal' "), std::string::npos) << plaintext;

  // localhost is reached as 127.0.0.1, so that is the name checked.
  const std::string local =
      storage::SociConnectString(ParseDsn("mysql://lss@localhost/licensing").value(), {.ca_file = "/ca.pem"}, "pw");
  EXPECT_NE(local.find(" host='host=127.0.0.1;ssl-verify-server-cert=1' "), std::string::npos) << local;
}

}  // namespace
}  // namespace lss
