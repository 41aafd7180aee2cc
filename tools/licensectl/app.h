// licensectl from arguments to exit code: parse, answer --help, resolve the
// global options, connect, and run the command. main() only adapts the
// process (argv, environment, std streams) to this; tests call it directly.
#pragma once

#include <ostream>
#include <string>

#include "absl/types/span.h"
#include "licensectl/exit_codes.h"
#include "licensectl/global_options.h"
#include "licensectl/operator_input.h"

namespace licensectl {

// Runs licensectl with `args` (argv without the program name). Results go
// to `out`, errors, usage and questions to `err`; answers come from `input`.
// Never throws.
ExitCode RunLicensectl(absl::Span<const std::string> args, EnvironmentLookup environment,
                       OperatorInput input, std::ostream& out, std::ostream& err);

// As above, with the answers read from the process's standard input
// (std::cin, a terminal when isatty(0) says so).
ExitCode RunLicensectl(absl::Span<const std::string> args, EnvironmentLookup environment,
                       std::ostream& out, std::ostream& err);

}  // namespace licensectl
