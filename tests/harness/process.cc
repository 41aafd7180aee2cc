#include "tests/harness/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/memory/memory.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "tests/harness/child_environment.h"
#include "tests/harness/find_executable.h"
#include "tests/harness/wait.h"

namespace lss::harness {
namespace {

// What the child reports through the exec pipe when it cannot exec.
struct SpawnFailure {
  int step;   // index into kSpawnSteps
  int error;  // errno
};
constexpr const char* kSpawnSteps[] = {"prctl(PR_SET_PDEATHSIG)",
                                       "parent exited before the child started",
                                       "dup2", "execve"};

// `arg` as one POSIX shell word, quoted only when it needs to be, so that a
// logged command line can be pasted into a shell.
std::string Quote(const std::string& arg) {
  if (!arg.empty() &&
      arg.find_first_of(" \t\n'\"\\$`*?;&|<>()") == std::string::npos) {
    return arg;
  }
  std::string quoted = "'";
  for (char c : arg) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

// Runs in the forked child, so it may only make async-signal-safe calls:
// the parent may have other threads holding locks (malloc's included) that
// the child's copy of memory will never release. Everything it needs was
// prepared by the parent. Never returns.
[[noreturn]] void ExecChild(pid_t parent, int devnull, int log_fd,
                            int report_fd, char* const* argv,
                            char* const* envp) {
  auto fail = [report_fd](int step) {
    const SpawnFailure failure{step, errno};
    // Nothing to do if this write fails: the parent then sees exit code 127.
    [[maybe_unused]] ssize_t ignored =
        write(report_fd, &failure, sizeof(failure));
    _exit(127);
  };
  // Own process group: signals sent to the group reach the program's helper
  // processes too, and a Ctrl-C in the test's terminal does not.
  setpgid(0, 0);
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(0);
  // The parent may have died between fork() and prctl(): then no death
  // signal will ever come, so give up now.
  if (getppid() != parent) fail(1);
  // Ignored signals and the signal mask survive exec. The test may have
  // ignored SIGPIPE or blocked SIGTERM (a test of in-process signal
  // handling): the program must start with the defaults, or Stop() and
  // Kill() would not do what they say.
  struct sigaction default_action = {};
  default_action.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    // Fails, harmlessly, for the signals glibc reserves for itself.
    sigaction(sig, &default_action, nullptr);
  }
  sigset_t empty;
  sigemptyset(&empty);
  sigprocmask(SIG_SETMASK, &empty, nullptr);
  if (dup2(devnull, STDIN_FILENO) < 0 || dup2(log_fd, STDOUT_FILENO) < 0 ||
      dup2(log_fd, STDERR_FILENO) < 0) {
    fail(2);
  }
  // Descriptors the test opened without O_CLOEXEC (a listening socket, say)
  // must not leak into the program, where they would outlive the test's own
  // close. Best effort: close_range needs Linux 5.11.
  close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
  execve(argv[0], argv, envp);
  fail(3);
  _exit(127);  // not reached: fail() exits
}

}  // namespace

absl::StatusOr<std::unique_ptr<ChildProcess>> ChildProcess::Start(
    ChildProcessOptions options) {
  absl::StatusOr<std::string> binary_path = FindExecutable(options.binary);
  if (!binary_path.ok()) return binary_path.status();
  if (options.name.empty()) {
    options.name = binary_path->substr(binary_path->rfind('/') + 1);
  }
  if (options.log_dir.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "ChildProcessOptions.log_dir is empty for ", options.name));
  }
  std::string log_path =
      absl::StrCat(options.log_dir, "/", options.name, ".log");
  auto process = absl::WrapUnique(new ChildProcess(
      std::move(options), *std::move(binary_path), std::move(log_path)));
  if (absl::Status status = process->Spawn(); !status.ok()) return status;
  return process;
}

ChildProcess::ChildProcess(ChildProcessOptions options, std::string binary_path,
                           std::string log_path)
    : options_(std::move(options)),
      binary_path_(std::move(binary_path)),
      log_path_(std::move(log_path)) {}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) Kill();
}

absl::Status ChildProcess::Spawn() {
  // Everything the child needs is allocated here, before fork().
  std::vector<std::string> argv_strings = {binary_path_};
  argv_strings.insert(argv_strings.end(), options_.args.begin(),
                      options_.args.end());
  std::vector<std::string> env_strings = ChildEnvironment(options_.env);
  std::vector<char*> argv = CStrings(argv_strings);
  std::vector<char*> envp = CStrings(env_strings);

  const int log_fd =
      open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    return absl::InternalError(
        absl::StrCat("cannot open ", log_path_, ": ", std::strerror(errno)));
  }
  // A header per incarnation tells restarts apart in the log.
  const std::string header =
      absl::StrCat("==== ", absl::FormatTime(absl::Now()),
                   " starting: ", CommandLine(), "\n");
  [[maybe_unused]] ssize_t ignored =
      write(log_fd, header.data(), header.size());

  const int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  // The child reports a failed exec through this pipe; a successful exec
  // closes the write end (O_CLOEXEC), so the parent reads end-of-file.
  int report[2];
  if (devnull < 0 || pipe2(report, O_CLOEXEC) != 0) {
    const int error = errno;
    close(log_fd);
    if (devnull >= 0) close(devnull);
    return absl::InternalError(absl::StrCat(
        "cannot prepare the child's descriptors: ", std::strerror(error)));
  }

  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) {
    ExecChild(parent, devnull, log_fd, report[1], argv.data(), envp.data());
  }
  const int fork_error = errno;
  close(report[1]);
  close(log_fd);
  close(devnull);
  if (pid < 0) {
    close(report[0]);
    return absl::InternalError(
        absl::StrCat("fork failed: ", std::strerror(fork_error)));
  }
  // Also set the group here, so that it exists before Start() returns no
  // matter which process runs first (fails harmlessly once the child has
  // exec'd).
  setpgid(pid, pid);

  SpawnFailure failure;
  ssize_t n;
  do {
    n = read(report[0], &failure, sizeof(failure));
  } while (n < 0 && errno == EINTR);
  close(report[0]);

  pid_ = pid;
  exit_status_.reset();
  frozen_ = false;
  if (n == static_cast<ssize_t>(sizeof(failure))) {
    Kill();  // reap the child, which has already exited
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot start ", CommandLine(), ": ", kSpawnSteps[failure.step],
        " failed: ", std::strerror(failure.error)));
  }
  return absl::OkStatus();
}

void ChildProcess::SignalGroup(int signal_number) {
  // Fall back to the process alone if it left its group (a program that
  // daemonises or calls setsid()).
  if (kill(-pid_, signal_number) != 0) kill(pid_, signal_number);
}

bool ChildProcess::TryReap() {
  if (exit_status_.has_value()) return true;
  int status = 0;
  pid_t reaped;
  do {
    reaped = waitpid(pid_, &status, WNOHANG);
  } while (reaped < 0 && errno == EINTR);
  if (reaped == 0) return false;
  // reaped < 0 means someone else reaped our child (a test that set SIGCHLD
  // to SIG_IGN, say): it is gone, with an unknown status.
  exit_status_ = reaped == pid_ ? ExitStatus::FromWaitStatus(status)
                                : ExitStatus::Exited(-1);
  frozen_ = false;
  return true;
}

void ChildProcess::WaitForReport(int wanted) {
  while (!exit_status_.has_value()) {
    int status = 0;
    const pid_t reaped = waitpid(pid_, &status, wanted);
    if (reaped < 0) {
      if (errno == EINTR) continue;
      exit_status_ = ExitStatus::Exited(-1);  // reaped elsewhere, see TryReap
      return;
    }
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
      exit_status_ = ExitStatus::FromWaitStatus(status);
      frozen_ = false;
      return;
    }
    if ((wanted == WUNTRACED && WIFSTOPPED(status)) ||
        (wanted == WCONTINUED && WIFCONTINUED(status))) {
      return;
    }
  }
}

bool ChildProcess::IsRunning() { return !TryReap(); }

ExitStatus ChildProcess::Kill() {
  if (!TryReap()) {
    // SIGKILL also ends a stopped process; no SIGCONT needed.
    SignalGroup(SIGKILL);
    WaitForReport(0);
  }
  return *exit_status_;
}

void ChildProcess::Freeze() {
  if (frozen_ || TryReap()) return;
  SignalGroup(SIGSTOP);
  WaitForReport(WUNTRACED);
  frozen_ = !exit_status_.has_value();
}

void ChildProcess::Thaw() {
  if (!frozen_ || TryReap()) return;
  SignalGroup(SIGCONT);
  WaitForReport(WCONTINUED);
  frozen_ = false;
}

ExitStatus ChildProcess::Stop(absl::Duration grace) {
  if (TryReap()) return *exit_status_;
  SignalGroup(SIGTERM);
  // A stopped process only acts on SIGTERM once continued. The "continued"
  // report this causes is never collected: waitpid without WCONTINUED skips it.
  if (frozen_) SignalGroup(SIGCONT);
  frozen_ = false;
  absl::StatusOr<ExitStatus> exited = WaitForExit(grace);
  if (exited.ok()) return *exited;
  return Kill();
}

absl::StatusOr<ExitStatus> ChildProcess::WaitForExit(absl::Duration timeout) {
  if (WaitFor([this] { return TryReap(); }, timeout)) return *exit_status_;
  return absl::DeadlineExceededError(
      absl::StrCat(options_.name, " (pid ", pid_, ") still runs after ",
                   absl::FormatDuration(timeout)));
}

absl::Status ChildProcess::Restart() {
  Kill();
  return Spawn();
}

std::string ChildProcess::LogTail(int lines) const {
  std::ifstream file(log_path_, std::ios::binary);
  if (!file) return absl::StrCat("(no log at ", log_path_, ")");
  std::stringstream buffer;
  buffer << file.rdbuf();
  const std::string text = buffer.str();
  if (lines <= 0) return "";
  // Walk back over `lines` line ends; a final newline ends the last line
  // rather than starting an empty one.
  size_t start = text.size();
  if (start > 0 && text[start - 1] == '\n') --start;
  for (int found = 0; start > 0; --start) {
    if (text[start - 1] == '\n' && ++found == lines) break;
  }
  return text.substr(start);
}

std::string ChildProcess::CommandLine() const {
  std::vector<std::string> words = {Quote(binary_path_)};
  for (const std::string& arg : options_.args) words.push_back(Quote(arg));
  return absl::StrJoin(words, " ");
}

}  // namespace lss::harness
