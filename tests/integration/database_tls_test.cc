// TLS between license-server and MariaDB (issue 15 item 5), end to end:
// private MariaDB servers started with certificates the test makes
// (tests/harness/test_certificates.h), the main one with
// --require-secure-transport=ON, and license-server given the --db_tls_*
// flags or not. Also the start-up policy that refuses a plaintext link to a
// database off loopback. The suite starts its own MariaDB servers, so one
// binary covers it (label mariadb).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "licensing/v1/license_service.grpc.pb.h"
#include "tests/harness/harness.h"

namespace lss {
namespace {

using harness::LicenseServerProcess;
using harness::MariaDbProcess;
using harness::TestCertificates;
using licensing::v1::LicenseService;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr int kSeedKeys = 3;

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return context;
}

// Import from KA, then read one license back: the database is in use.
void ExpectImportAndGetWork(LicenseServerProcess& server) {
  std::unique_ptr<LicenseService::Stub> stub = LicenseService::NewStub(server.NewChannel());
  licensing::v1::ImportLicensesResponse imported;
  grpc::Status status = stub->ImportLicenses(Context().get(), {}, &imported);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(imported.failed(), 0);
  licensing::v1::ListLicensesResponse listed;
  status = stub->ListLicenses(Context().get(), {}, &listed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(listed.licenses_size(), kSeedKeys);
  licensing::v1::GetLicenseRequest get;
  get.set_key_number(listed.licenses(0).key_number());
  licensing::v1::GetLicenseResponse got;
  status = stub->GetLicense(Context().get(), get, &got);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(got.license().key_number(), listed.licenses(0).key_number());
}

// One TLS-only MariaDB, ka-mock and the certificates, shared by the suite;
// each test uses a database of its own on that server.
class DatabaseTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<harness::TempDir> dir = harness::TempDir::Create("dbtls");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = new harness::TempDir(*std::move(dir));
    absl::StatusOr<TestCertificates> certs = TestCertificates::Create(dir_->path());
    ASSERT_TRUE(certs.ok()) << certs.status();
    certs_ = new TestCertificates(*std::move(certs));
    absl::StatusOr<std::unique_ptr<MariaDbProcess>> db = MariaDbProcess::Start({
        .work_dir = dir_->path(),
        .tls_cert_file = certs_->server_cert,
        .tls_key_file = certs_->server_key,
        .tls_ca_file = certs_->ca_cert,
        .require_secure_transport = true,
        // For the per-connection Ssl_cipher of the service's sessions.
        .extra_server_args = {"--performance-schema=ON"},
    });
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = db->release();
    absl::StatusOr<std::unique_ptr<harness::KaMockProcess>> ka =
        harness::KaMockProcess::Start({.seed_keys = kSeedKeys, .work_dir = dir_->path()});
    ASSERT_TRUE(ka.ok()) << ka.status();
    ka_ = ka->release();
  }

  static void TearDownTestSuite() {
    delete ka_;
    delete db_;
    delete certs_;
    delete dir_;  // last: the servers live in it
    ka_ = nullptr;
    db_ = nullptr;
    certs_ = nullptr;
    dir_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(ka_, nullptr) << "the suite's set-up failed";
    // The servers of each test log into a folder of their own.
    absl::StatusOr<harness::TempDir> dir = harness::TempDir::Create("dbtls-case");
    ASSERT_TRUE(dir.ok()) << dir.status();
    case_dir_ = std::make_unique<harness::TempDir>(*std::move(dir));
  }

  // A fresh database on the suite's server, for the application account.
  static std::string CreateDatabase(const std::string& name) {
    const absl::Status created = db_->CreateDatabase(name);
    EXPECT_TRUE(created.ok()) << created;
    return absl::StrCat("mysql://", db_->user(), "@127.0.0.1:", db_->port(), "/", name);
  }

  // license-server on `db` (a DSN) with `tls_args`, e.g. from CaFlags().
  absl::StatusOr<std::unique_ptr<LicenseServerProcess>> StartServer(const std::string& db,
                                                                    std::vector<std::string> tls_args,
                                                                    const std::string& password = "") {
    return LicenseServerProcess::Start({.db = db,
                                        .db_password = password.empty() ? db_->password() : password,
                                        .ka_address = ka_->address(),
                                        .extra_args = std::move(tls_args),
                                        .work_dir = case_dir_->path(),
                                        .startup_timeout = absl::Seconds(60)});
  }

  // The start-up error of a license-server that must refuse to start.
  std::string RefusalOf(const std::string& db, std::vector<std::string> tls_args,
                        const std::string& password = "") {
    absl::StatusOr<std::unique_ptr<LicenseServerProcess>> server = StartServer(db, std::move(tls_args), password);
    EXPECT_FALSE(server.ok()) << "license-server started";
    return server.ok() ? "" : std::string(server.status().message());
  }

  static std::vector<std::string> CaFlags(const std::string& ca) { return {"--db-tls-ca-file", ca}; }

  static inline harness::TempDir* dir_ = nullptr;
  static inline TestCertificates* certs_ = nullptr;
  static inline MariaDbProcess* db_ = nullptr;
  static inline harness::KaMockProcess* ka_ = nullptr;
  std::unique_ptr<harness::TempDir> case_dir_;
};

TEST_F(DatabaseTlsTest, WithoutTlsSettingsTheServerRefusesToStart) {
  const std::string dsn = CreateDatabase("lss_plain");
  // require_secure_transport: MariaDB refuses the plaintext login (it says
  // only "Access denied"), so the server never gets a connection.
  const std::string refusal = RefusalOf(dsn, {});
  EXPECT_THAT(refusal, HasSubstr(absl::StrCat("cannot open ", dsn, ": Access denied for user 'lss'")));
  EXPECT_THAT(refusal, Not(HasSubstr(db_->password())));
}

TEST_F(DatabaseTlsTest, WithTheCaTheServerStartsAndServesOverTls) {
  const std::string dsn = CreateDatabase("lss_ca");
  absl::StatusOr<std::unique_ptr<LicenseServerProcess>> server = StartServer(dsn, CaFlags(certs_->ca_cert));
  ASSERT_TRUE(server.ok()) << server.status();
  ExpectImportAndGetWork(**server);
  EXPECT_THAT((*server)->LogTail(50), HasSubstr(R"("database_tls":"verify-identity")"));

  // The server's own view of the service's sessions: every one encrypted.
  const std::string sessions =
      "FROM performance_schema.threads t JOIN performance_schema.status_by_thread s USING (THREAD_ID) "
      "WHERE t.PROCESSLIST_USER = 'lss' AND t.PROCESSLIST_DB = 'lss_ca' AND s.VARIABLE_NAME = 'Ssl_cipher'";
  absl::StatusOr<std::string> encrypted = db_->QueryScalar(absl::StrCat("SELECT COUNT(*) ", sessions,
                                                                        " AND s.VARIABLE_VALUE <> ''"));
  ASSERT_TRUE(encrypted.ok()) << encrypted.status();
  EXPECT_NE(*encrypted, "0");
  absl::StatusOr<std::string> plaintext = db_->QueryScalar(absl::StrCat("SELECT COUNT(*) ", sessions,
                                                                        " AND s.VARIABLE_VALUE = ''"));
  ASSERT_TRUE(plaintext.ok()) << plaintext.status();
  EXPECT_EQ(*plaintext, "0");
}

TEST_F(DatabaseTlsTest, AnX509AccountNeedsTheClientCertificate) {
  ASSERT_TRUE(db_->Execute("CREATE DATABASE lss_x509db; "
                           "CREATE USER 'lss_x509'@'127.0.0.1' IDENTIFIED BY 'x509-password' REQUIRE X509; "
                           "GRANT ALL PRIVILEGES ON lss_x509db.* TO 'lss_x509'@'127.0.0.1'")
                  .ok());
  const std::string dsn = absl::StrCat("mysql://lss_x509@127.0.0.1:", db_->port(), "/lss_x509db");

  // TLS with the CA alone presents no certificate: MariaDB refuses the login.
  EXPECT_THAT(RefusalOf(dsn, CaFlags(certs_->ca_cert), "x509-password"),
              HasSubstr(absl::StrCat("cannot open ", dsn, ": Access denied for user 'lss_x509'")));

  std::vector<std::string> mutual = CaFlags(certs_->ca_cert);
  mutual.insert(mutual.end(),
                {"--db-tls-cert-file", certs_->client_cert, "--db-tls-key-file", certs_->client_key});
  absl::StatusOr<std::unique_ptr<LicenseServerProcess>> server = StartServer(dsn, mutual, "x509-password");
  ASSERT_TRUE(server.ok()) << server.status();
  ExpectImportAndGetWork(**server);
}

TEST_F(DatabaseTlsTest, AServerCertificateFromAnotherCaIsRefused) {
  const std::string dsn = CreateDatabase("lss_wrongca");
  // libmariadb checks the chain whenever it is given a CA; the name check
  // (--db_tls_verify_server_cert) comes on top, so both refuse.
  EXPECT_THAT(RefusalOf(dsn, CaFlags(certs_->wrong_ca_cert)),
              HasSubstr(absl::StrCat("cannot open ", dsn, ": TLS/SSL error: self-signed certificate in certificate")));
  std::vector<std::string> chain_only = CaFlags(certs_->wrong_ca_cert);
  chain_only.push_back("--db-tls-verify-server-cert=false");
  EXPECT_THAT(RefusalOf(dsn, chain_only), HasSubstr("TLS/SSL error: self-signed certificate in certificate"));
}

TEST_F(DatabaseTlsTest, AClientCertificateNeedsTheCaFlagAndUnreadableFilesAreNamed) {
  const std::string dsn = CreateDatabase("lss_files");
  EXPECT_THAT(RefusalOf(dsn, {"--db-tls-cert-file", certs_->client_cert, "--db-tls-key-file", certs_->client_key}),
              HasSubstr("need --db_tls_ca_file"));
  EXPECT_THAT(RefusalOf(dsn, {"--db-tls-ca-file", certs_->ca_cert, "--db-tls-key-file", certs_->client_key}),
              HasSubstr("--db_tls_cert_file is missing"));
  const std::string absent = case_dir_->Join("absent-ca.pem");
  EXPECT_THAT(RefusalOf(dsn, CaFlags(absent)), HasSubstr(absl::StrCat("cannot read --db_tls_ca_file ", absent)));
}

// The name check, against a server whose certificate comes from the right
// CA but names db.example.invalid only.
TEST_F(DatabaseTlsTest, VerificationRefusesACertificateForAnotherName) {
  absl::StatusOr<std::unique_ptr<MariaDbProcess>> misnamed = MariaDbProcess::Start({
      .work_dir = case_dir_->path(),
      .tls_cert_file = certs_->misnamed_server_cert,
      .tls_key_file = certs_->misnamed_server_key,
      .tls_ca_file = certs_->ca_cert,
      .require_secure_transport = true,
  });
  ASSERT_TRUE(misnamed.ok()) << misnamed.status();
  const std::string dsn = (*misnamed)->Dsn();

  EXPECT_THAT(RefusalOf(dsn, CaFlags(certs_->ca_cert), (*misnamed)->password()),
              HasSubstr(absl::StrCat("cannot open ", dsn, ": TLS/SSL error: Validation of SSL server certificate")));

  std::vector<std::string> chain_only = CaFlags(certs_->ca_cert);
  chain_only.push_back("--db-tls-verify-server-cert=false");
  absl::StatusOr<std::unique_ptr<LicenseServerProcess>> server =
      StartServer(dsn, chain_only, (*misnamed)->password());
  ASSERT_TRUE(server.ok()) << server.status();
  ExpectImportAndGetWork(**server);
  EXPECT_THAT((*server)->LogTail(50), HasSubstr(R"("database_tls":"verify-ca")"));
}

// libmariadb continues in plaintext against a server that offers no TLS
// unless it verifies the server's name; the pool refuses such a connection
// itself, so neither setting ends up unencrypted.
TEST_F(DatabaseTlsTest, AServerOfferingNoTlsIsRefusedWithOrWithoutVerification) {
  absl::StatusOr<std::unique_ptr<MariaDbProcess>> plaintext = MariaDbProcess::Start({.work_dir = case_dir_->path()});
  ASSERT_TRUE(plaintext.ok()) << plaintext.status();
  absl::StatusOr<std::string> have_ssl = (*plaintext)->QueryScalar("SELECT @@have_ssl");
  ASSERT_TRUE(have_ssl.ok()) << have_ssl.status();
  ASSERT_EQ(*have_ssl, "DISABLED");
  const std::string dsn = (*plaintext)->Dsn();

  EXPECT_THAT(RefusalOf(dsn, CaFlags(certs_->ca_cert), (*plaintext)->password()),
              HasSubstr("SSL is required, but the server does not support it"));
  std::vector<std::string> chain_only = CaFlags(certs_->ca_cert);
  chain_only.push_back("--db-tls-verify-server-cert=false");
  EXPECT_THAT(RefusalOf(dsn, chain_only, (*plaintext)->password()),
              HasSubstr(absl::StrCat("cannot open ", dsn, ": the connection to the database is not encrypted")));
}

// The policy (server/app/database_policy.h) runs before anything connects.
class InsecureDatabasePolicyTest : public ::testing::Test {
 protected:
  struct Ended {
    harness::ExitStatus status;
    std::string log;
  };

  // license-server --db mysql://u@10.1.2.3:3306/x `extra_args`, to its exit.
  // 10.1.2.3 is not this machine's: nothing there answers, or something
  // that is not MariaDB does.
  static Ended RunWithRemoteDatabase(std::vector<std::string> extra_args, absl::Duration timeout) {
    absl::StatusOr<harness::TempDir> dir = harness::TempDir::Create("insecure-db");
    EXPECT_TRUE(dir.ok()) << dir.status();
    if (!dir.ok()) return {harness::ExitStatus::Exited(-1), ""};
    std::vector<std::string> args = {"--listen=127.0.0.1:0", "--db=mysql://u@10.1.2.3:3306/x", "--daily_at=off"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    absl::StatusOr<std::unique_ptr<harness::ChildProcess>> server = harness::ChildProcess::Start(
        {.binary = LICENSE_SERVER_PATH,
         .args = std::move(args),
         .env = {{"KA_LOGIN", "billing"}, {"KA_PASSWORD", "unused"}, {"LSS_DB_PASSWORD", "unused"}},
         .log_dir = dir->path()});
    EXPECT_TRUE(server.ok()) << server.status();
    if (!server.ok()) return {harness::ExitStatus::Exited(-1), ""};
    absl::StatusOr<harness::ExitStatus> exit = (*server)->WaitForExit(timeout);
    EXPECT_TRUE(exit.ok()) << exit.status();
    return {exit.ok() ? *exit : harness::ExitStatus::Exited(-1), (*server)->LogTail(5)};
  }
};

TEST_F(InsecureDatabasePolicyTest, ARemoteHostWithoutTlsIsRefusedBeforeConnecting) {
  const Ended ended = RunWithRemoteDatabase({}, absl::Seconds(30));
  EXPECT_EQ(ended.status, harness::ExitStatus::Exited(1));
  EXPECT_THAT(ended.log, HasSubstr("refusing to connect to the database at 10.1.2.3:3306, which is not loopback, "
                                   "without TLS"));
  EXPECT_THAT(ended.log, HasSubstr("--allow_insecure_db"));
  // No connection was attempted.
  EXPECT_THAT(ended.log, Not(HasSubstr("cannot open")));
}

TEST_F(InsecureDatabasePolicyTest, AllowInsecureDbGoesPastThePolicy) {
  // Then the connection fails, within libmariadb's connect and read
  // timeouts (10 s and 120 s, storage/sql/connect_string.cc).
  const Ended ended = RunWithRemoteDatabase({"--allow-insecure-db"}, absl::Seconds(180));
  EXPECT_EQ(ended.status, harness::ExitStatus::Exited(1));
  EXPECT_THAT(ended.log, HasSubstr("cannot open mysql://u@10.1.2.3:3306/x"));
  EXPECT_THAT(ended.log, Not(HasSubstr("refusing to connect")));
}

}  // namespace
}  // namespace lss
