// ChildProcess on ordinary programs (sleep, sh): the process controls do
// what fault-injection tests rely on, and nothing is left behind.
#include "tests/harness/process.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/harness/temp_dir.h"
#include "tests/harness/wait.h"

namespace lss::harness {
namespace {

// The state letter of /proc/PID/stat ('R', 'S', 'T' stopped, 'Z' zombie), or
// '?' if the process does not exist.
char ProcessState(pid_t pid) {
  std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  if (!std::getline(stat, line)) return '?';
  // "PID (COMM) S ...": COMM may contain spaces and parentheses, so look
  // after the last ')'.
  const size_t close = line.rfind(')');
  if (close == std::string::npos || close + 2 >= line.size()) return '?';
  return line[close + 2];
}

// True once `pid` is gone from the process table: not running, not a zombie
// (kill(pid, 0) still succeeds on a zombie).
bool IsGone(pid_t pid) { return kill(pid, 0) != 0 && errno == ESRCH; }

class ChildProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<TempDir> dir = TempDir::Create("process-test");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_.emplace(*std::move(dir));
  }

  std::unique_ptr<ChildProcess> StartOrDie(std::string binary,
                                           std::vector<std::string> args) {
    ChildProcessOptions options;
    options.binary = std::move(binary);
    options.args = std::move(args);
    options.log_dir = dir_->path();
    absl::StatusOr<std::unique_ptr<ChildProcess>> process =
        ChildProcess::Start(std::move(options));
    EXPECT_TRUE(process.ok()) << process.status();
    return process.ok() ? *std::move(process) : nullptr;
  }

  // sh -c `script`, returning once the script has printed the line "ready"
  // (so that its traps are installed before the test signals it). The whole
  // line is compared: the log's header line quotes the script, "ready" and
  // all.
  std::unique_ptr<ChildProcess> StartShellWhenReady(const std::string& script) {
    std::unique_ptr<ChildProcess> shell = StartOrDie("/bin/sh", {"-c", script});
    if (shell == nullptr) return nullptr;
    EXPECT_TRUE(WaitFor([&] { return shell->LogTail(1) == "ready\n"; },
                        absl::Seconds(10)))
        << shell->LogTail(10);
    return shell;
  }

  std::optional<TempDir> dir_;
};

TEST_F(ChildProcessTest, FreezeStopsTheProcessAndThawResumesIt) {
  std::unique_ptr<ChildProcess> sleeper = StartOrDie("/bin/sleep", {"60"});
  ASSERT_NE(sleeper, nullptr);

  sleeper->Freeze();
  EXPECT_EQ(ProcessState(sleeper->pid()), 'T');
  EXPECT_TRUE(sleeper->IsRunning()) << "a frozen process still exists";

  sleeper->Thaw();
  const char state = ProcessState(sleeper->pid());
  EXPECT_NE(state, 'T');
  EXPECT_NE(state, '?');
  EXPECT_TRUE(sleeper->IsRunning());
}

TEST_F(ChildProcessTest, KillEndsAndReapsTheProcess) {
  std::unique_ptr<ChildProcess> sleeper = StartOrDie("/bin/sleep", {"60"});
  ASSERT_NE(sleeper, nullptr);
  const pid_t pid = sleeper->pid();

  EXPECT_EQ(sleeper->Kill(), ExitStatus::KilledBy(SIGKILL));
  EXPECT_FALSE(sleeper->IsRunning());
  EXPECT_TRUE(IsGone(pid)) << "left as a zombie";
}

TEST_F(ChildProcessTest, KillEndsAFrozenProcess) {
  std::unique_ptr<ChildProcess> sleeper = StartOrDie("/bin/sleep", {"60"});
  ASSERT_NE(sleeper, nullptr);
  sleeper->Freeze();

  EXPECT_EQ(sleeper->Kill(), ExitStatus::KilledBy(SIGKILL));
  EXPECT_TRUE(IsGone(sleeper->pid()));
}

TEST_F(ChildProcessTest, RestartRunsTheSameCommandAgain) {
  std::unique_ptr<ChildProcess> sleeper = StartOrDie("/bin/sleep", {"60"});
  ASSERT_NE(sleeper, nullptr);
  const pid_t first = sleeper->pid();
  sleeper->Kill();

  ASSERT_TRUE(sleeper->Restart().ok());
  EXPECT_NE(sleeper->pid(), first);
  EXPECT_TRUE(sleeper->IsRunning());
  EXPECT_FALSE(sleeper->exit_status().has_value());
  EXPECT_NE(ProcessState(sleeper->pid()), '?');
}

TEST_F(ChildProcessTest, RestartReplacesARunningProcess) {
  std::unique_ptr<ChildProcess> sleeper = StartOrDie("/bin/sleep", {"60"});
  ASSERT_NE(sleeper, nullptr);
  const pid_t first = sleeper->pid();

  ASSERT_TRUE(sleeper->Restart().ok());
  EXPECT_TRUE(IsGone(first));
  EXPECT_TRUE(sleeper->IsRunning());
}

TEST_F(ChildProcessTest, StopReturnsHowTheProcessHandledSigterm) {
  // The shell exits 7 from its trap: Stop() reports that exit, proving it
  // waited for the program rather than killing it.
  std::unique_ptr<ChildProcess> shell = StartShellWhenReady(
      "trap 'exit 7' TERM; echo ready; while :; do sleep 0.1; done");
  ASSERT_NE(shell, nullptr);

  EXPECT_EQ(shell->Stop(absl::Seconds(30)), ExitStatus::Exited(7));
}

TEST_F(ChildProcessTest, StopEscalatesToSigkillWhenSigtermIsIgnored) {
  // `exec` keeps the ignored disposition: sleep itself ignores SIGTERM.
  std::unique_ptr<ChildProcess> stubborn =
      StartShellWhenReady("trap '' TERM; echo ready; exec sleep 60");
  ASSERT_NE(stubborn, nullptr);

  EXPECT_EQ(stubborn->Stop(absl::Milliseconds(200)),
            ExitStatus::KilledBy(SIGKILL));
  EXPECT_FALSE(stubborn->IsRunning());
}

TEST_F(ChildProcessTest, StopDeliversSigtermToAFrozenProcess) {
  std::unique_ptr<ChildProcess> sleeper = StartOrDie("/bin/sleep", {"60"});
  ASSERT_NE(sleeper, nullptr);
  sleeper->Freeze();

  // SIGTERM, not the SIGKILL of an expired grace: Stop() thawed it.
  EXPECT_EQ(sleeper->Stop(absl::Seconds(30)), ExitStatus::KilledBy(SIGTERM));
}

TEST_F(ChildProcessTest, LogCapturesStdoutAndStderr) {
  std::unique_ptr<ChildProcess> shell =
      StartOrDie("/bin/sh", {"-c", "echo hello; echo trouble >&2"});
  ASSERT_NE(shell, nullptr);

  absl::StatusOr<ExitStatus> exit = shell->WaitForExit(absl::Seconds(30));
  ASSERT_TRUE(exit.ok()) << exit.status();
  EXPECT_EQ(*exit, ExitStatus::Exited(0));
  EXPECT_EQ(shell->LogTail(2), "hello\ntrouble\n");
}

TEST_F(ChildProcessTest, LogTailReturnsTheLastLinesOfAllIncarnations) {
  std::unique_ptr<ChildProcess> counter = StartOrDie("/usr/bin/seq", {"100"});
  ASSERT_NE(counter, nullptr);
  ASSERT_TRUE(counter->WaitForExit(absl::Seconds(30)).ok());
  EXPECT_EQ(counter->LogTail(3), "98\n99\n100\n");

  ASSERT_TRUE(counter->Restart().ok());
  ASSERT_TRUE(counter->WaitForExit(absl::Seconds(30)).ok());
  EXPECT_EQ(counter->LogTail(3), "98\n99\n100\n");
  // Both runs are in the log, each after a header line naming the command.
  const std::string log = counter->LogTail(1000);
  const std::vector<absl::string_view> parts = absl::StrSplit(log, "==== ");
  EXPECT_EQ(parts.size(), 3u) << log;  // two headers
  EXPECT_TRUE(absl::StrContains(log, "starting: /usr/bin/seq 100\n1\n")) << log;
}

TEST_F(ChildProcessTest, ExtraEnvironmentReachesTheProgram) {
  ChildProcessOptions options;
  options.binary = "/bin/sh";
  options.args = {"-c", "echo \"$LSS_HARNESS_GREETING $HOME\""};
  options.env = {{"LSS_HARNESS_GREETING", "hi"}, {"HOME", "/nowhere"}};
  options.log_dir = dir_->path();
  absl::StatusOr<std::unique_ptr<ChildProcess>> shell =
      ChildProcess::Start(std::move(options));
  ASSERT_TRUE(shell.ok()) << shell.status();
  ASSERT_TRUE((*shell)->WaitForExit(absl::Seconds(30)).ok());

  EXPECT_EQ((*shell)->LogTail(1), "hi /nowhere\n");
}

TEST_F(ChildProcessTest, StartFailsClearlyForAMissingProgram) {
  ChildProcessOptions options;
  options.binary = "/nonexistent/program";
  options.log_dir = dir_->path();
  absl::StatusOr<std::unique_ptr<ChildProcess>> process =
      ChildProcess::Start(std::move(options));
  ASSERT_FALSE(process.ok());
  EXPECT_TRUE(
      absl::StrContains(process.status().message(), "/nonexistent/program"))
      << process.status();
}

TEST_F(ChildProcessTest, DestructorKillsAndReaps) {
  pid_t pid;
  {
    std::unique_ptr<ChildProcess> sleeper = StartOrDie("/bin/sleep", {"60"});
    ASSERT_NE(sleeper, nullptr);
    pid = sleeper->pid();
    sleeper->Freeze();  // even a frozen one
  }
  EXPECT_TRUE(IsGone(pid));
}

// A test binary that dies without running destructors (a crash, a SIGKILL
// from ctest's timeout) must not leave its children running.
TEST_F(ChildProcessTest, ChildrenDieWithTheTestProcess) {
  const std::string pid_file = dir_->Join("child.pid");
  EXPECT_EXIT(
      {
        std::unique_ptr<ChildProcess> sleeper =
            StartOrDie("/bin/sleep", {"60"});
        std::ofstream(pid_file) << sleeper->pid() << "\n";
        std::_Exit(0);  // no destructors: only the death signal can help
      },
      ::testing::ExitedWithCode(0), "");

  std::ifstream in(pid_file);
  pid_t orphan = 0;
  ASSERT_TRUE(in >> orphan) << "the child process did not start";
  // The orphan is killed by the kernel and reaped by whoever adopted it;
  // both take a moment.
  EXPECT_TRUE(WaitFor(
      [&] {
        const char state = ProcessState(orphan);
        return state == '?' || state == 'Z';
      },
      absl::Seconds(30)))
      << "pid " << orphan << " still runs, state " << ProcessState(orphan);
}

}  // namespace
}  // namespace lss::harness
