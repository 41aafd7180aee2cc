// RunProgram: runs a command-line program to completion, the way an
// operator's script would: given standard input, its standard output and
// standard error kept apart, its exit status. For tests of CLIs (licensectl)
// and example clients (the Python consumer), where --json output must be
// parsed on its own and stdin answers an interactive prompt.
//
// stdin, stdout and stderr are files, not a terminal: isatty() is false in
// the program, as under a pipe or in CI.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/harness/exit_status.h"

namespace lss::harness {

struct ProgramRun {
  // Every member has a default initializer (designated initializers).
  // A path, or a bare name looked up by FindExecutable().
  std::string binary = {};
  // argv[1..].
  std::vector<std::string> args = {};
  // Set in the program's environment, over the test's own.
  std::vector<std::pair<std::string, std::string>> env = {};
  // Written to the program's standard input, which then ends.
  std::string stdin_text = {};
  // Killed (SIGKILL) when still running after this long; the result is then
  // DEADLINE_EXCEEDED with what it wrote so far in the message.
  absl::Duration timeout = absl::Seconds(60);
};

struct ProgramOutput {
  ExitStatus status;
  std::string out;  // standard output
  std::string err;  // standard error
};

// Runs `run` and waits for it. Fails if the binary cannot be found or
// started, or on the timeout.
absl::StatusOr<ProgramOutput> RunProgram(const ProgramRun& run);

}  // namespace lss::harness
