#include "ka-mock/credentials.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

#include "gtest/gtest.h"
#include "ka-mock/ka_errors.h"
#include "ka-mock/port_file.h"

namespace ka_mock {
namespace {

using Metadata = std::multimap<grpc::string_ref, grpc::string_ref>;

std::string TempPath(const std::string& name) {
  return ::testing::TempDir() + "ka_mock_" +
         ::testing::UnitTest::GetInstance()->current_test_info()->name() + "_" +
         name;
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::trunc) << text;
}

TEST(CheckCredentialsTest, AcceptsTheConfiguredPair) {
  const Metadata metadata = {{"ka-login", "billing"},
                             {"ka-password", "s3cret"}};
  EXPECT_TRUE(CheckCredentials({"billing", "s3cret"}, metadata).ok());
}

TEST(CheckCredentialsTest, WrongOrMissingIsCode200) {
  const PartnerCredentials expected{"billing", "s3cret"};
  for (const Metadata& metadata : {
           Metadata{{"ka-login", "billing"}, {"ka-password", "wrong"}},
           Metadata{{"ka-login", "other"}, {"ka-password", "s3cret"}},
           Metadata{{"ka-login", "billing"}},
           Metadata{},
           Metadata{{"ka-login", "billing"},
                    {"ka-password", "s3cret-and-more"}},
       }) {
    const absl::Status status = CheckCredentials(expected, metadata);
    EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(KaCodeOf(status), KaCode::kAuthenticationFailed);
  }
}

TEST(LoadPasswordTest, FileWinsAndOnlyItsFirstLineCounts) {
  const std::string path = TempPath("password");
  WriteFile(path, "from-file\r\nsecond line\n");
  setenv("KA_MOCK_PASSWORD", "from-env", 1);
  const absl::StatusOr<std::string> password = LoadPassword(path);
  unsetenv("KA_MOCK_PASSWORD");
  ASSERT_TRUE(password.ok()) << password.status();
  EXPECT_EQ(*password, "from-file");
}

TEST(LoadPasswordTest, MissingOrEmptyFileIsAnError) {
  EXPECT_FALSE(LoadPassword(TempPath("absent")).ok());
  const std::string empty = TempPath("empty");
  WriteFile(empty, "\n");
  EXPECT_FALSE(LoadPassword(empty).ok());
}

TEST(LoadPasswordTest, EnvironmentThenDemoDefault) {
  setenv("KA_MOCK_PASSWORD", "from-env", 1);
  EXPECT_EQ(LoadPassword("").value_or(""), "from-env");
  unsetenv("KA_MOCK_PASSWORD");
  EXPECT_EQ(LoadPassword("").value_or(""), "billing-secret");
}

TEST(WritePortFileTest, WritesThePortAndNoTemporaryRemains) {
  const std::string path = TempPath("port");
  ASSERT_TRUE(WritePortFile(path, 50123).ok());
  std::ifstream file(path);
  int port = 0;
  file >> port;
  EXPECT_EQ(port, 50123);
  EXPECT_FALSE(std::ifstream(path + ".tmp").good());
}

TEST(WritePortFileTest, UnwritablePlaceIsAnError) {
  EXPECT_FALSE(WritePortFile("/nonexistent-dir/port", 1).ok());
}

}  // namespace
}  // namespace ka_mock
