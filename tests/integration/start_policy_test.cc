// What license-server refuses at start, each with a message that says why
// and what to do (issue 15, items 4 and 9): a KA off loopback without TLS,
// a token file, key or password file that other users may change or read,
// and the testing-only flags on a production start. The real binary, run
// to its exit; SQLite, since nothing here reaches a database.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/harness/harness.h"

namespace lss {
namespace {

class StartPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<harness::TempDir> dir = harness::TempDir::Create("start-policy");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = std::make_unique<harness::TempDir>(*std::move(dir));
  }

  std::string File(const std::string& name, const std::string& contents, mode_t mode) {
    const std::string path = absl::StrCat(dir_->path(), "/", name);
    std::ofstream(path) << contents;
    EXPECT_EQ(chmod(path.c_str(), mode), 0);
    return path;
  }

  // Runs license-server with `args` to its exit; returns the end of its log.
  std::string RefusedStart(std::vector<std::string> args,
                           std::vector<std::pair<std::string, std::string>> env = {}) {
    args.push_back(absl::StrCat("--db=sqlite:", dir_->path(), "/licenses.db"));
    args.push_back("--daily_at=off");
    args.push_back("--listen=127.0.0.1:0");
    env.emplace_back("KA_LOGIN", "billing");
    env.emplace_back("KA_PASSWORD", "unused");
    absl::StatusOr<std::unique_ptr<harness::ChildProcess>> server = harness::ChildProcess::Start(
        {.binary = LICENSE_SERVER_PATH, .args = args, .env = env, .log_dir = dir_->path()});
    EXPECT_TRUE(server.ok()) << server.status();
    if (!server.ok()) return "";
    absl::StatusOr<harness::ExitStatus> exit = (*server)->WaitForExit(absl::Seconds(30));
    EXPECT_TRUE(exit.ok()) << exit.status();
    if (exit.ok()) {
      EXPECT_EQ(*exit, harness::ExitStatus::Exited(1));
    }
    return (*server)->LogTail(5);
  }

  std::unique_ptr<harness::TempDir> dir_;
};

TEST_F(StartPolicyTest, AKaOffLoopbackWithoutTlsIsRefused) {
  const std::string log = RefusedStart({"--ka-address=10.255.255.1:50052"});
  EXPECT_NE(log.find("refusing to call KA at 10.255.255.1:50052"), std::string::npos) << log;
  EXPECT_NE(log.find("--allow_insecure_ka"), std::string::npos) << log;
}

// Accepting the risk starts the server: KA's reachability is its own
// health, so it serves while that KA does not answer.
TEST_F(StartPolicyTest, AKaOffLoopbackWithTheRiskAcceptedStarts) {
  absl::StatusOr<std::unique_ptr<harness::LicenseServerProcess>> server = harness::LicenseServerProcess::Start(
      {.db = absl::StrCat("sqlite:", dir_->path(), "/licenses.db"),
       .ka_address = "10.255.255.1:50052",
       .extra_args = {"--allow-insecure-ka"},
       .work_dir = dir_->path()});
  ASSERT_TRUE(server.ok()) << server.status();
}

TEST_F(StartPolicyTest, ATokenFileOthersMayWriteIsRefused) {
  const std::string tokens = File("tokens", std::string(64, 'a') + " ci viewer\n", 0666);
  const std::string log = RefusedStart({absl::StrCat("--auth-tokens-file=", tokens)});
  EXPECT_NE(log.find(absl::StrCat("--auth_tokens_file ", tokens, " has mode 0666")), std::string::npos) << log;
  EXPECT_NE(log.find("chmod go-w"), std::string::npos) << log;
}

TEST_F(StartPolicyTest, AKeyOrPasswordFileEveryoneMayReadIsRefused) {
  absl::StatusOr<harness::TestCertificates> certificates = harness::TestCertificates::Create(dir_->path());
  ASSERT_TRUE(certificates.ok()) << certificates.status();
  ASSERT_EQ(chmod(certificates->server_key.c_str(), 0644), 0);
  std::string log = RefusedStart({absl::StrCat("--tls-cert-file=", certificates->server_cert),
                                  absl::StrCat("--tls-key-file=", certificates->server_key)});
  EXPECT_NE(log.find(absl::StrCat("--tls_key_file ", certificates->server_key, " has mode 0644")), std::string::npos)
      << log;
  EXPECT_NE(log.find("chmod o-r"), std::string::npos) << log;

  const std::string password = File("db-password", "secret\n", 0644);
  log = RefusedStart({absl::StrCat("--db-password-file=", password)});
  EXPECT_NE(log.find(absl::StrCat("--db_password_file ", password, " has mode 0644")), std::string::npos) << log;

  const std::string credentials = File("ka-credentials", "billing\nsecret\n", 0664);
  log = RefusedStart({absl::StrCat("--ka-credentials-file=", credentials)});
  EXPECT_NE(log.find(absl::StrCat("--ka_credentials_file ", credentials, " has mode 0664")), std::string::npos)
      << log;
}

TEST_F(StartPolicyTest, TestingFlagsAreRefusedByAProductionStart) {
  std::string log = RefusedStart({"--testing-clock-offset=24h"});
  EXPECT_NE(log.find("--testing_clock_offset: testing-only flags, refused by a production start"),
            std::string::npos)
      << log;
  log = RefusedStart({"--testing-crash-after-ka-upgrade"});
  EXPECT_NE(log.find("--testing_crash_after_ka_upgrade"), std::string::npos) << log;
  // A test's start is allowed them.
  absl::StatusOr<std::unique_ptr<harness::LicenseServerProcess>> server = harness::LicenseServerProcess::Start(
      {.db = absl::StrCat("sqlite:", dir_->path(), "/licenses.db"),
       .ka_address = "127.0.0.1:1",
       .extra_args = {"--testing-clock-offset=24h"},
       .work_dir = dir_->path()});
  ASSERT_TRUE(server.ok()) << server.status();
}

}  // namespace
}  // namespace lss
