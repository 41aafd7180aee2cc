#include "client/ka_credentials.h"

#include <stdlib.h>

#include <sys/stat.h>

#include <fstream>
#include <map>
#include <string>

#include "common/status/error_details.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lss {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A fresh directory per test, so that tests never see each other's files.
class KaCredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "ka_credentials_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }

  std::string WriteFile(const std::string& name, const std::string& contents) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << contents;
    chmod(path.c_str(), 0600);  // a secret's mode: others may not read it
    return path;
  }

  absl::StatusOr<KaCredentials> Load(absl::string_view file) {
    return LoadKaCredentials(file, [this](absl::string_view name) -> absl::optional<std::string> {
      auto it = env_.find(std::string(name));
      if (it == env_.end()) return absl::nullopt;
      return it->second;
    });
  }

  std::string dir_;
  std::map<std::string, std::string> env_;
};

TEST_F(KaCredentialsTest, ReadsLoginAndPasswordFromFile) {
  absl::StatusOr<KaCredentials> credentials = Load(WriteFile("ka", "billing\nbilling-secret\n"));
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ(credentials->login, "billing");
  EXPECT_EQ(credentials->password, "billing-secret");
}

TEST_F(KaCredentialsTest, TrimsTrailingWhitespaceAndCrLf) {
  absl::StatusOr<KaCredentials> credentials =
      Load(WriteFile("ka", "billing  \r\npa ss\t \r\n\n\n"));
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ(credentials->login, "billing");
  EXPECT_EQ(credentials->password, "pa ss");  // inner spaces belong to the password
}

TEST_F(KaCredentialsTest, FileWinsOverEnvironment) {
  env_ = {{"KA_LOGIN", "env-login"}, {"KA_PASSWORD", "env-password"}};
  absl::StatusOr<KaCredentials> credentials = Load(WriteFile("ka", "file-login\nfile-pw"));
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ(credentials->login, "file-login");
  EXPECT_EQ(credentials->password, "file-pw");
}

TEST_F(KaCredentialsTest, UnreadableFileIsNamedInTheError) {
  const std::string path = dir_ + "/does-not-exist";
  absl::StatusOr<KaCredentials> credentials = Load(path);
  ASSERT_FALSE(credentials.ok());
  EXPECT_EQ(credentials.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(credentials.status().message()), HasSubstr(path));
  EXPECT_EQ(ReasonOf(credentials.status()), "KA_CREDENTIALS_INVALID");
}

TEST_F(KaCredentialsTest, MalformedFilesAreRejectedWithoutQuotingThem) {
  for (const std::string& contents :
       {std::string(""), std::string("only-login-secret\n"), std::string("\nmissing-login-secret"),
        std::string("login\n\n"), std::string("login\npassword-secret\nthird-line-secret\n")}) {
    absl::StatusOr<KaCredentials> credentials = Load(WriteFile("bad", contents));
    ASSERT_FALSE(credentials.ok()) << "accepted: " << contents;
    EXPECT_EQ(credentials.status().code(), absl::StatusCode::kInvalidArgument);
    const std::string message(credentials.status().message());
    EXPECT_THAT(message, HasSubstr(dir_ + "/bad"));
    EXPECT_THAT(message, HasSubstr("malformed"));
    EXPECT_THAT(message, Not(HasSubstr("secret")));
  }
}

TEST_F(KaCredentialsTest, ReadsLoginAndPasswordFromEnvironment) {
  env_ = {{"KA_LOGIN", "billing"}, {"KA_PASSWORD", "env-secret"}};
  absl::StatusOr<KaCredentials> credentials = Load("");
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ(credentials->login, "billing");
  EXPECT_EQ(credentials->password, "env-secret");
}

TEST_F(KaCredentialsTest, ReadsPasswordFileNamedByEnvironment) {
  env_ = {{"KA_LOGIN", "billing"}, {"KA_PASSWORD_FILE", WriteFile("pw", "file-secret\n")}};
  absl::StatusOr<KaCredentials> credentials = Load("");
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ(credentials->password, "file-secret");
}

TEST_F(KaCredentialsTest, EmptyPasswordFileIsMalformed) {
  const std::string path = WriteFile("pw", "\n");
  env_ = {{"KA_LOGIN", "billing"}, {"KA_PASSWORD_FILE", path}};
  absl::StatusOr<KaCredentials> credentials = Load("");
  ASSERT_FALSE(credentials.ok());
  EXPECT_EQ(credentials.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(credentials.status().message()), HasSubstr(path));
}

TEST_F(KaCredentialsTest, NothingConfiguredIsAnError) {
  absl::StatusOr<KaCredentials> credentials = Load("");
  ASSERT_FALSE(credentials.ok());
  EXPECT_EQ(credentials.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(credentials.status()), "KA_CREDENTIALS_MISSING");
  EXPECT_THAT(std::string(credentials.status().message()), HasSubstr("KA_LOGIN"));
}

TEST_F(KaCredentialsTest, EmptyVariablesCountAsUnset) {
  env_ = {{"KA_LOGIN", ""}, {"KA_PASSWORD", ""}};
  EXPECT_EQ(Load("").status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(KaCredentialsTest, HalfConfiguredEnvironmentIsAnError) {
  env_ = {{"KA_LOGIN", "billing"}};
  absl::StatusOr<KaCredentials> login_only = Load("");
  EXPECT_EQ(login_only.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(login_only.status().message()), HasSubstr("KA_PASSWORD"));

  env_ = {{"KA_PASSWORD", "env-secret"}};
  absl::StatusOr<KaCredentials> password_only = Load("");
  EXPECT_EQ(password_only.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(password_only.status().message()), HasSubstr("KA_LOGIN"));
  EXPECT_THAT(std::string(password_only.status().message()), Not(HasSubstr("env-secret")));
}

TEST_F(KaCredentialsTest, PasswordAndPasswordFileTogetherAreAmbiguous) {
  env_ = {{"KA_LOGIN", "billing"},
          {"KA_PASSWORD", "env-secret"},
          {"KA_PASSWORD_FILE", WriteFile("pw", "file-secret")}};
  absl::StatusOr<KaCredentials> credentials = Load("");
  EXPECT_EQ(credentials.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(KaCredentialsTest, ProcessEnvironmentOverloadReadsRealVariables) {
  // The only test that touches the process environment; it restores it.
  const char* old_login = getenv("KA_LOGIN");
  const char* old_password = getenv("KA_PASSWORD");
  const std::string saved_login = old_login ? old_login : "";
  const std::string saved_password = old_password ? old_password : "";
  setenv("KA_LOGIN", "real-login", 1);
  setenv("KA_PASSWORD", "real-secret", 1);
  absl::StatusOr<KaCredentials> credentials = LoadKaCredentials("");
  if (old_login)
    setenv("KA_LOGIN", saved_login.c_str(), 1);
  else
    unsetenv("KA_LOGIN");
  if (old_password)
    setenv("KA_PASSWORD", saved_password.c_str(), 1);
  else
    unsetenv("KA_PASSWORD");
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ(credentials->login, "real-login");
  EXPECT_EQ(credentials->password, "real-secret");
}

}  // namespace
}  // namespace lss
