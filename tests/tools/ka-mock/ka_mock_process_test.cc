// The real ka-mock binary as operators and the integration tests run it:
// port 0 with --port_file, seeding, credentials from a file, and a clean
// exit on SIGTERM even with answers still waiting on injected latency.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "keyadmin/v1/key_administrator.grpc.pb.h"
#include "keyadmin/v1/key_administrator_admin.grpc.pb.h"

extern char** environ;

namespace {

namespace ka = ::keyadmin::v1;

constexpr absl::Duration kPatience = absl::Seconds(30);

// ka-mock as a child process whose stderr the test reads. Not thread-safe.
class KaMockChild {
 public:
  static std::unique_ptr<KaMockChild> Start(
      const std::vector<std::string>& args) {
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) return nullptr;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
    std::vector<std::string> argv_strings = {KA_MOCK_PATH};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& arg : argv_strings) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, KA_MOCK_PATH, &actions, nullptr,
                                    argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_fds[1]);
    if (spawned != 0) {
      close(pipe_fds[0]);
      return nullptr;
    }
    return std::unique_ptr<KaMockChild>(new KaMockChild(pid, pipe_fds[0]));
  }

  ~KaMockChild() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(stderr_fd_);
  }

  // Reads stderr until a line contains `text`; that line, or nullopt when
  // the deadline passes or stderr closes first.
  std::optional<std::string> WaitForLine(absl::string_view text,
                                         absl::Duration timeout) {
    const absl::Time deadline = absl::Now() + timeout;
    while (true) {
      if (const size_t end = output_.find('\n', scanned_);
          end != std::string::npos) {
        std::string line = output_.substr(scanned_, end - scanned_);
        scanned_ = end + 1;
        if (absl::StrContains(line, text)) return line;
        continue;
      }
      if (!ReadSome(deadline)) return std::nullopt;
    }
  }

  // Waits for the process to exit (its stderr closes) and reaps it; the
  // wait status, or nullopt if it is still running at the deadline.
  std::optional<int> WaitForExit(absl::Duration timeout) {
    const absl::Time deadline = absl::Now() + timeout;
    while (ReadSome(deadline)) {
    }
    if (absl::Now() >= deadline) return std::nullopt;
    int status = 0;
    if (waitpid(pid_, &status, 0) != pid_) return std::nullopt;
    pid_ = 0;
    return status;
  }

  void Signal(int signal_number) { kill(pid_, signal_number); }
  const std::string& output() const { return output_; }

 private:
  KaMockChild(pid_t pid, int stderr_fd) : pid_(pid), stderr_fd_(stderr_fd) {}

  // Appends what stderr has within the deadline; false at EOF or deadline.
  bool ReadSome(absl::Time deadline) {
    const int64_t wait_ms = absl::ToInt64Milliseconds(deadline - absl::Now());
    if (wait_ms <= 0) return false;
    pollfd fd = {stderr_fd_, POLLIN, 0};
    if (poll(&fd, 1, static_cast<int>(wait_ms)) <= 0) return false;
    char buffer[4096];
    const ssize_t n = read(stderr_fd_, buffer, sizeof buffer);
    if (n <= 0) return false;
    output_.append(buffer, static_cast<size_t>(n));
    return true;
  }

  pid_t pid_;
  int stderr_fd_;
  std::string output_;
  size_t scanned_ = 0;
};

class KaMockProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "ka_mock_process_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }

  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string WriteFile(const std::string& name, const std::string& text) {
    const std::string path = absl::StrCat(dir_, "/", name);
    std::ofstream(path) << text;
    return path;
  }

  std::string dir_;
};

TEST_F(KaMockProcessTest, ServesOnAnEphemeralPortAndStopsCleanlyOnSigterm) {
  const std::string port_file = absl::StrCat(dir_, "/port");
  std::unique_ptr<KaMockChild> mock = KaMockChild::Start(
      {"--listen=127.0.0.1:0", "--port_file=" + port_file, "--seed_keys=25",
       "--seed=3", "--login=ops",
       "--password_file=" + WriteFile("password", "from-file\n")});
  ASSERT_NE(mock, nullptr);
  const std::optional<std::string> listening =
      mock->WaitForLine("ka-mock listening on 127.0.0.1:", kPatience);
  ASSERT_TRUE(listening.has_value()) << mock->output();
  int port = 0;
  ASSERT_TRUE(
      absl::SimpleAtoi(listening->substr(listening->rfind(':') + 1), &port));
  int port_in_file = 0;
  std::ifstream(port_file) >> port_in_file;
  EXPECT_EQ(port_in_file, port);

  const auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                           grpc::InsecureChannelCredentials());
  const auto ka_stub = ka::KeyAdministratorService::NewStub(channel);
  const auto admin_stub = ka::KeyAdministratorAdminService::NewStub(channel);
  const auto call_context = [](grpc::ClientContext& context,
                               const char* password) {
    context.set_deadline(absl::ToChronoTime(absl::Now() + kPatience));
    context.AddMetadata("ka-login", "ops");
    context.AddMetadata("ka-password", password);
  };
  {
    grpc::ClientContext context;
    call_context(context, "from-file");
    ka::ListKeysResponse response;
    const grpc::Status status =
        ka_stub->ListKeys(&context, ka::ListKeysRequest(), &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_GE(response.total_size(), 25);
  }
  {
    grpc::ClientContext context;
    call_context(context, "billing-secret");
    ka::ListKeysResponse response;
    EXPECT_EQ(ka_stub->ListKeys(&context, ka::ListKeysRequest(), &response)
                  .error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }

  // An answer held back by a minute of latency must not hold up the exit:
  // shutdown answers it at once.
  {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + kPatience));
    ka::SetFaultsRequest faults;
    faults.set_latency_ms(60'000);
    ka::SetFaultsResponse response;
    ASSERT_TRUE(admin_stub->SetFaults(&context, faults, &response).ok());
  }
  grpc::ClientContext delayed_context;
  call_context(delayed_context, "from-file");
  ka::ListKeyTypesRequest request;
  ka::ListKeyTypesResponse response;
  grpc::Status delayed_status;
  absl::Notification delayed_done;
  ka_stub->async()->ListKeyTypes(&delayed_context, &request, &response,
                                 [&](grpc::Status status) {
                                   delayed_status = std::move(status);
                                   delayed_done.Notify();
                                 });
  // The call has arrived once the counter shows it.
  const absl::Time deadline = absl::Now() + kPatience;
  for (bool arrived = false; !arrived;) {
    ASSERT_LT(absl::Now(), deadline) << "the delayed call never arrived";
    grpc::ClientContext context;
    ka::GetCallCountsResponse counts;
    ASSERT_TRUE(
        admin_stub->GetCallCounts(&context, ka::GetCallCountsRequest(), &counts)
            .ok());
    arrived = counts.counts().count("ListKeyTypes") != 0;
  }

  mock->Signal(SIGTERM);
  const std::optional<int> exit = mock->WaitForExit(kPatience);
  ASSERT_TRUE(exit.has_value()) << "ka-mock did not stop on SIGTERM";
  EXPECT_TRUE(WIFEXITED(*exit) && WEXITSTATUS(*exit) == 0) << mock->output();
  ASSERT_TRUE(delayed_done.WaitForNotificationWithTimeout(kPatience));
  EXPECT_TRUE(delayed_status.ok()) << delayed_status.error_message();
}

TEST_F(KaMockProcessTest, RefusesToStartWithoutItsPasswordFile) {
  std::unique_ptr<KaMockChild> mock = KaMockChild::Start(
      {"--listen=127.0.0.1:0", "--password_file=" + dir_ + "/missing"});
  ASSERT_NE(mock, nullptr);
  const std::optional<int> exit = mock->WaitForExit(kPatience);
  ASSERT_TRUE(exit.has_value());
  EXPECT_TRUE(WIFEXITED(*exit) && WEXITSTATUS(*exit) == 1);
  EXPECT_TRUE(absl::StrContains(mock->output(), "password file"))
      << mock->output();
}

}  // namespace
