// ChildProcess: a program a test runs, with the controls that fault-injection
// tests need: kill -9, freeze (SIGSTOP) and thaw (SIGCONT), graceful stop
// (SIGTERM, then SIGKILL after a grace period), and restart with the same
// command line.
//
// Nothing outlives the test that started it:
//  - the destructor kills and reaps the process, so no zombies are left when
//    a test fails half-way through;
//  - the child asks the kernel (PR_SET_PDEATHSIG) to SIGKILL it when the
//    thread that started it dies, so even a crashed or killed test binary
//    leaves no orphans listening on ports. Start children from the test's
//    own thread (or one that outlives them), not from a short-lived helper.
//
// Each child runs in its own process group and signals go to the whole group,
// so helper processes that a program forks (mariadb-install-db is a shell
// script) are frozen and killed with it.
//
// The child's stdout and stderr are appended to "<log_dir>/<name>.log" (across
// restarts too, each start marked by a header line), so a failing test can
// print LogTail().
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/harness/exit_status.h"

namespace lss::harness {

struct ChildProcessOptions {
  // Every member has a default initializer: designated initializers that
  // name only some members then compile cleanly under -Wextra.

  // The program: a path, or a bare name looked up by FindExecutable().
  std::string binary = {};
  // argv[1..]; argv[0] is the resolved binary path.
  std::vector<std::string> args = {};
  // Set in the child's environment, over the test's own environment.
  std::vector<std::pair<std::string, std::string>> env = {};
  // An existing folder for the log file.
  std::string log_dir = {};
  // Names the log file "<name>.log"; defaults to the binary's file name.
  std::string name = {};
};

// One child process and its restarts. Not thread-safe: use it from one
// thread, normally the test's (it reaps with waitpid(), which only the
// parent may do, and keeps unsynchronised state about the child).
class ChildProcess {
 public:
  // Starts the program. Fails if the binary cannot be found or executed
  // (exec errors are reported here, not as a child that exits with 127).
  static absl::StatusOr<std::unique_ptr<ChildProcess>> Start(
      ChildProcessOptions options);

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  // Kills (SIGKILL) and reaps the process if it still runs.
  ~ChildProcess();

  // The pid of the current incarnation (still the last one after it exits).
  pid_t pid() const { return pid_; }

  // True while the process exists, running or frozen. Reaps it if it has
  // exited, after which exit_status() is set.
  bool IsRunning();

  // How the current incarnation ended; nullopt while it runs.
  const std::optional<ExitStatus>& exit_status() const { return exit_status_; }

  // SIGKILL, then reap. Returns how the process ended (if it had already
  // exited on its own, that exit). No-op once reaped.
  ExitStatus Kill();

  // SIGSTOP, and returns once the kernel reports the process stopped: the
  // caller may rely on it being frozen on the next line. Its sockets stay
  // open and nothing answers, which is how a hung or black-holed peer looks.
  // No-op if it is frozen or has exited.
  void Freeze();

  // SIGCONT, and returns once the kernel reports the process continued.
  // No-op unless frozen by Freeze().
  void Thaw();

  // Graceful stop: SIGTERM (and SIGCONT, so a frozen process can handle it),
  // wait up to `grace` for it to exit, then SIGKILL. Returns how it ended:
  // Exited(0) for a clean shutdown, KilledBy(SIGKILL) when it had to be
  // killed.
  ExitStatus Stop(absl::Duration grace = absl::Seconds(10));

  // Waits up to `timeout` for the process to exit on its own (for programs
  // that run to completion). DeadlineExceededError if it still runs.
  absl::StatusOr<ExitStatus> WaitForExit(absl::Duration timeout);

  // Starts the same command line again, first killing the current
  // incarnation if it still runs (use Stop() before for a graceful restart).
  absl::Status Restart();

  // The last `lines` lines of the log file (stdout and stderr of every
  // incarnation), for failure messages. Reads the file each time.
  std::string LogTail(int lines) const;

  const std::string& log_path() const { return log_path_; }

  // The command line, shell-quoted enough for a person to rerun it.
  std::string CommandLine() const;

 private:
  ChildProcess(ChildProcessOptions options, std::string binary_path,
               std::string log_path);

  // Forks and execs one incarnation.
  absl::Status Spawn();
  // Sends `signal_number` to the child's process group.
  void SignalGroup(int signal_number);
  // waitpid() until the child reports `wanted` (WUNTRACED for a stop,
  // WCONTINUED for a continue) or terminates. Blocks.
  void WaitForReport(int wanted);
  // Non-blocking reap; true if the process has exited (now or before).
  bool TryReap();

  const ChildProcessOptions options_;
  const std::string binary_path_;
  const std::string log_path_;
  pid_t pid_ = -1;
  bool frozen_ = false;
  std::optional<ExitStatus> exit_status_;
};

}  // namespace lss::harness
