#include "licensectl/app.h"

#include <unistd.h>

#include <iostream>
#include <memory>

#include "absl/status/statusor.h"
#include "licensectl/command_line.h"
#include "licensectl/commands.h"
#include "licensectl/connection.h"
#include "licensectl/help_text.h"
#include "licensectl/terminal_safe_output.h"

namespace licensectl {
namespace {

const std::vector<OptionSpec>* CommandOptions(absl::string_view name) {
  const Command* command = FindCommand(name);
  return command == nullptr ? nullptr : &command->options;
}

// A usage error found before any command ran: the message, then the usage
// of the command if one was named, else the tool's.
ExitCode ReportUsageError(absl::string_view message, const Command* command, std::ostream& err) {
  err << "error: " << message << "\n" << (command != nullptr ? CommandUsage(*command) : ToolUsage());
  return ExitCode::kUsageError;
}

ExitCode Run(absl::Span<const std::string> args, EnvironmentLookup environment, OperatorInput input,
             std::ostream& out, std::ostream& err) {
  const ParsedCommandLine command_line =
      ParseCommandLine(args, GlobalOptionSpecs(), CommandOptions);
  const Command* command = FindCommand(command_line.command);

  if (!command_line.usage_error.empty()) {
    return ReportUsageError(command_line.usage_error, command, err);
  }
  if (command_line.help_requested) {
    out << (command != nullptr ? CommandHelp(*command) : ToolHelp(AllCommands(), GlobalOptionSpecs()));
    return ExitCode::kSuccess;
  }
  if (command == nullptr) return ReportUsageError("no command given", nullptr, err);

  absl::StatusOr<GlobalOptions> global_options =
      ResolveGlobalOptions(command_line.global_options, environment);
  if (!global_options.ok()) {
    return ReportUsageError(global_options.status().message(), command, err);
  }

  absl::StatusOr<std::unique_ptr<Connection>> connection = Connection::Open(global_options->connection);
  if (!connection.ok()) return ReportUsageError(connection.status().message(), command, err);
  CommandContext context(*command, command_line, *global_options, **connection, out, err, input);
  return command->run(context);
}

}  // namespace

ExitCode RunLicensectl(absl::Span<const std::string> args, EnvironmentLookup environment,
                       OperatorInput input, std::ostream& out, std::ostream& err) {
  // Everything licensectl prints passes here, whichever command prints it:
  // nothing the server sent can reach the terminal as a control.
  TerminalSafeOutput safe_out(out);
  TerminalSafeOutput safe_err(err);
  return Run(args, environment, input, safe_out.stream(), safe_err.stream());
}

ExitCode RunLicensectl(absl::Span<const std::string> args, EnvironmentLookup environment,
                       std::ostream& out, std::ostream& err) {
  return RunLicensectl(args, environment, {.stream = &std::cin, .is_terminal = isatty(STDIN_FILENO) == 1},
                       out, err);
}

}  // namespace licensectl
