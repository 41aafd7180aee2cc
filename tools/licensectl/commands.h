// licensectl's commands: what a command is, what its handler works with,
// and the table of all of them.
//
// Adding a command: write <name>_command.cc defining `Command <Name>Command()`
// (options, usage, help and handler in one file), declare it below, add it
// to AllCommands() in commands.cc and the file to CMakeLists.txt. Parsing,
// --help, --json, errors and exit codes then work as for every other
// command.
#pragma once

#include <istream>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/status.h"
#include "licensectl/command_line.h"
#include "licensectl/connection.h"
#include "licensectl/exit_codes.h"
#include "licensectl/global_options.h"
#include "licensectl/operator_input.h"

namespace licensectl {

class CommandContext;

// One command of the table.
struct Command {
  // What the operator types, e.g. "get".
  absl::string_view name;
  // One line for the tool's --help.
  absl::string_view summary;
  // The synopsis after "licensectl ", e.g. "get (ID | KEY_NUMBER | ...)".
  absl::string_view usage;
  // The command's --help text between the usage and the options: what it
  // does, what it prints, how it exits. May be empty.
  absl::string_view description;
  // The command's own options (global options are added by the parser).
  std::vector<OptionSpec> options;
  // Runs the command; returns the process's exit code.
  ExitCode (*run)(CommandContext& context) = nullptr;
};

// Every command, in the order --help lists them.
const std::vector<Command>& AllCommands();
// The command named `name`, or nullptr.
const Command* FindCommand(absl::string_view name);

// The commands, one file each.
Command GetCommand();   // get_command.cc
Command ListCommand();  // list_command.cc
Command SyncCommand();  // sync_command.cc
Command HistoryCommand();  // history_command.cc
Command JobsCommand();  // jobs_command.cc
Command WatchCommand();  // watch_command.cc
Command SyncAllCommand();  // sync_all_command.cc
Command DailyRunsCommand();  // daily_runs_command.cc
Command UpgradeCommand();  // upgrade_command.cc
Command UpgradesCommand();  // upgrades_command.cc
Command TerminateCommand();  // terminate_command.cc

// What a handler works with: its options and arguments, the connection, and
// the ways out (output, errors), so that every command reports alike. One
// per run, used from one thread.
class CommandContext {
 public:
  CommandContext(const Command& command, const ParsedCommandLine& command_line,
                 const GlobalOptions& global_options, Connection& connection, std::ostream& out,
                 std::ostream& err, OperatorInput input = {});

  const OptionValues& options() const { return command_line_.command_options; }
  const std::vector<std::string>& arguments() const { return command_line_.arguments; }
  Connection& connection() { return connection_; }
  bool json() const { return global_options_.json; }
  std::ostream& out() { return out_; }
  // For what is neither a result nor an error report: questions, and notes
  // that must not mix with --json output.
  std::ostream& err() { return err_; }
  // The operator's answers (at end of input when there are none).
  std::istream& in() { return input_.stream != nullptr ? *input_.stream : no_input_; }
  // Whether a person may be there to answer (see OperatorInput).
  bool in_is_terminal() const { return input_.is_terminal; }

  // Reports a bad command line (the option values, the arguments) with the
  // command's usage, on stderr. Returns kUsageError.
  ExitCode UsageError(absl::string_view message);

  // Reports a failed call (code, message, decoded details, a hint) on
  // stderr. Returns kCallFailed.
  ExitCode CallFailed(const grpc::Status& status);

  // Prints a command's result: with --json, `response` as one JSON document;
  // otherwise the text that `render_text` returns. Returns kSuccess, or
  // kCallFailed if the response cannot be turned into JSON.
  ExitCode PrintResult(const google::protobuf::Message& response,
                       absl::FunctionRef<std::string()> render_text);

 private:
  const Command& command_;
  const ParsedCommandLine& command_line_;
  const GlobalOptions& global_options_;
  Connection& connection_;
  std::ostream& out_;
  std::ostream& err_;
  OperatorInput input_;
  std::istringstream no_input_;
};

}  // namespace licensectl
