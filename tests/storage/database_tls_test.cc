#include "storage/database_tls.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace lss {
namespace {

constexpr char kPem[] = "-----BEGIN CERTIFICATE-----\nMIIBsecretbodyline\n-----END CERTIFICATE-----\n";
constexpr char kNotPem[] = "not a PEM file: hunter2-private-material\n";

class DatabaseTlsTest : public ::testing::Test {
 protected:
  // A file of this test's under gtest's temporary folder.
  std::string WriteFile(const std::string& name, const std::string& contents) {
    const std::string path = absl::StrCat(::testing::TempDir(), "/database_tls_test_", getpid(), "_", name);
    std::ofstream(path, std::ios::trunc) << contents;
    written_.push_back(path);
    return path;
  }

  void TearDown() override {
    for (const std::string& path : written_) std::remove(path.c_str());
  }

  std::vector<std::string> written_;
};

TEST_F(DatabaseTlsTest, NoFilesIsPlaintextAndAlwaysFine) {
  EXPECT_FALSE(DatabaseTlsOptions{}.enabled());
  EXPECT_TRUE(CheckDatabaseTls({}, DatabaseBackend::kMysql).ok());
  EXPECT_TRUE(CheckDatabaseTls({}, DatabaseBackend::kSqlite).ok());
  // Verification alone turns nothing on.
  EXPECT_FALSE(DatabaseTlsOptions{.verify_server_cert = false}.enabled());
  EXPECT_STREQ(DescribeDatabaseTls({}), "off");
}

TEST_F(DatabaseTlsTest, ReadableFilesPass) {
  const std::string ca = WriteFile("ca.pem", kPem);
  const std::string cert = WriteFile("cert.pem", kPem);
  const std::string key = WriteFile("key.pem", kPem);
  ASSERT_EQ(chmod(key.c_str(), 0600), 0);  // a key's mode: everyone may read the others
  EXPECT_TRUE(CheckDatabaseTls({.ca_file = ca}, DatabaseBackend::kMysql).ok());
  const DatabaseTlsOptions mutual = {.ca_file = ca, .cert_file = cert, .key_file = key};
  EXPECT_TRUE(CheckDatabaseTls(mutual, DatabaseBackend::kMysql).ok());
  EXPECT_STREQ(DescribeDatabaseTls(mutual), "verify-identity");
  EXPECT_STREQ(DescribeDatabaseTls({.ca_file = ca, .verify_server_cert = false}), "verify-ca");
}

TEST_F(DatabaseTlsTest, AKeyEveryoneMayReadIsRefused) {
  const DatabaseTlsOptions mutual = {
      .ca_file = WriteFile("ca.pem", kPem), .cert_file = WriteFile("cert.pem", kPem), .key_file = WriteFile("key.pem", kPem)};
  ASSERT_EQ(chmod(mutual.key_file.c_str(), 0644), 0);
  const absl::Status status = CheckDatabaseTls(mutual, DatabaseBackend::kMysql);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(status.message(), "--db_tls_key_file")) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "chmod o-r")) << status;
}

TEST_F(DatabaseTlsTest, SqliteRefusesTlsSettings) {
  const absl::Status status = CheckDatabaseTls({.ca_file = WriteFile("ca.pem", kPem)}, DatabaseBackend::kSqlite);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(status.message(), "--db_tls_")) << status;
}

TEST_F(DatabaseTlsTest, HalfACertificatePairIsRefusedNamingTheMissingFlag) {
  const std::string ca = WriteFile("ca.pem", kPem);
  const absl::Status key_only =
      CheckDatabaseTls({.ca_file = ca, .key_file = WriteFile("key.pem", kPem)}, DatabaseBackend::kMysql);
  EXPECT_EQ(key_only.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(key_only.message(), "--db_tls_cert_file is missing")) << key_only;
  const absl::Status cert_only =
      CheckDatabaseTls({.ca_file = ca, .cert_file = WriteFile("cert.pem", kPem)}, DatabaseBackend::kMysql);
  EXPECT_TRUE(absl::StrContains(cert_only.message(), "--db_tls_key_file is missing")) << cert_only;
}

TEST_F(DatabaseTlsTest, AClientCertificateNeedsTheCa) {
  // SOCI 4.0.3 passes a client certificate to libmariadb only with a CA:
  // without this check it would silently connect in plaintext.
  const absl::Status status = CheckDatabaseTls(
      {.cert_file = WriteFile("cert.pem", kPem), .key_file = WriteFile("key.pem", kPem)}, DatabaseBackend::kMysql);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(status.message(), "need --db_tls_ca_file")) << status;
}

TEST_F(DatabaseTlsTest, AnUnreadableOrNonPemFileIsNamedWithItsFlagNeverQuoted) {
  const std::string missing = absl::StrCat(::testing::TempDir(), "/database_tls_test_absent/ca.pem");
  const absl::Status absent = CheckDatabaseTls({.ca_file = missing}, DatabaseBackend::kMysql);
  EXPECT_EQ(absent.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(absent.message(), absl::StrCat("--db_tls_ca_file ", missing))) << absent;

  const std::string ca = WriteFile("ca.pem", kPem);
  const std::string bad_key = WriteFile("bad.key", kNotPem);
  const absl::Status not_pem = CheckDatabaseTls(
      {.ca_file = ca, .cert_file = WriteFile("cert.pem", kPem), .key_file = bad_key}, DatabaseBackend::kMysql);
  EXPECT_EQ(not_pem.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(not_pem.message(), absl::StrCat("--db_tls_key_file ", bad_key))) << not_pem;
  EXPECT_FALSE(absl::StrContains(not_pem.message(), "hunter2")) << not_pem;
}

}  // namespace
}  // namespace lss
