// Reading TLS files: errors name the setting and the file, never what the
// file holds.
#include "common/tls_files.h"

#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lss {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string WriteFile(const std::string& name, const std::string& contents) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::trunc) << contents;
  return path;
}

TEST(TlsFilesTest, ReadsAPemFile) {
  const std::string pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  absl::StatusOr<std::string> read = ReadPemFile("--tls_cert_file", WriteFile("cert.pem", pem));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, pem);
}

TEST(TlsFilesTest, AMissingFileIsNamedWithItsSetting) {
  absl::StatusOr<std::string> read = ReadPemFile("--tls_key_file", "/no/such/key.pem");
  EXPECT_EQ(read.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(read.status().message(), HasSubstr("cannot read --tls_key_file /no/such/key.pem"));
}

TEST(TlsFilesTest, AFileWithoutPemIsRefusedWithoutQuotingIt) {
  const std::string path = WriteFile("secret.txt", "hunter2-not-a-key\n");
  absl::StatusOr<std::string> read = ReadPemFile("--ka_tls_key_file", path);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(read.status().message(), HasSubstr("--ka_tls_key_file " + path + " holds no PEM block"));
  EXPECT_THAT(read.status().message(), Not(HasSubstr("hunter2")));
}

TEST(TlsFilesTest, ACertificateAndItsKeyGoTogether) {
  EXPECT_TRUE(CheckCertificatePair("--c", "", "--k", "").ok());
  EXPECT_TRUE(CheckCertificatePair("--c", "c.pem", "--k", "k.pem").ok());
  absl::Status no_key = CheckCertificatePair("--c", "c.pem", "--k", "");
  EXPECT_EQ(no_key.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(no_key.message(), HasSubstr("--k is missing"));
  EXPECT_THAT(CheckCertificatePair("--c", "", "--k", "k.pem").message(), HasSubstr("--c is missing"));
}

}  // namespace
}  // namespace lss
