#include "tests/harness/program_run.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/harness/child_environment.h"
#include "tests/harness/find_executable.h"
#include "tests/harness/temp_dir.h"
#include "tests/harness/wait.h"

namespace lss::harness {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

absl::StatusOr<ProgramOutput> RunProgram(const ProgramRun& run) {
  absl::StatusOr<std::string> binary = FindExecutable(run.binary);
  if (!binary.ok()) return binary.status();
  absl::StatusOr<TempDir> dir = TempDir::Create("program-run");
  if (!dir.ok()) return dir.status();
  const std::string in_path = dir->Join("stdin");
  const std::string out_path = dir->Join("stdout");
  const std::string err_path = dir->Join("stderr");
  std::ofstream(in_path, std::ios::binary) << run.stdin_text;

  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, STDIN_FILENO, in_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&files, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<std::string> args = {*binary};
  args.insert(args.end(), run.args.begin(), run.args.end());
  std::vector<std::string> env = ChildEnvironment(run.env);
  std::vector<char*> argv = CStrings(args);
  std::vector<char*> envp = CStrings(env);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, binary->c_str(), &files, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&files);
  if (spawned != 0) {
    return absl::InternalError(absl::StrCat("cannot start ", *binary, ": ", std::strerror(spawned)));
  }

  int wait_status = 0;
  const bool ended = WaitFor([&] { return waitpid(pid, &wait_status, WNOHANG) == pid; }, run.timeout);
  if (!ended) {
    kill(pid, SIGKILL);
    waitpid(pid, &wait_status, 0);
    return absl::DeadlineExceededError(absl::StrCat(run.binary, " still ran after ", absl::FormatDuration(run.timeout),
                                                    "; stdout: ", ReadFile(out_path),
                                                    "; stderr: ", ReadFile(err_path)));
  }
  return ProgramOutput{ExitStatus::FromWaitStatus(wait_status), ReadFile(out_path), ReadFile(err_path)};
}

}  // namespace lss::harness
