#include "licensectl/commands.h"

#include <algorithm>

#include "absl/status/statusor.h"
#include "licensectl/help_text.h"
#include "licensectl/json_output.h"
#include "licensectl/rpc_errors.h"

namespace licensectl {

const std::vector<Command>& AllCommands() {
  static const std::vector<Command> kCommands = {
      GetCommand(),
      ListCommand(),
      SyncCommand(),
      HistoryCommand(),
      JobsCommand(),
      WatchCommand(),
      SyncAllCommand(),
      DailyRunsCommand(),
      UpgradeCommand(),
      UpgradesCommand(),
      TerminateCommand(),
  };
  return kCommands;
}

const Command* FindCommand(absl::string_view name) {
  const std::vector<Command>& commands = AllCommands();
  auto it = std::find_if(commands.begin(), commands.end(),
                         [name](const Command& command) { return command.name == name; });
  return it == commands.end() ? nullptr : &*it;
}

CommandContext::CommandContext(const Command& command, const ParsedCommandLine& command_line,
                               const GlobalOptions& global_options, Connection& connection,
                               std::ostream& out, std::ostream& err, OperatorInput input)
    : command_(command),
      command_line_(command_line),
      global_options_(global_options),
      connection_(connection),
      out_(out),
      err_(err),
      input_(input) {}

ExitCode CommandContext::UsageError(absl::string_view message) {
  err_ << "error: " << message << "\n" << CommandUsage(command_);
  return ExitCode::kUsageError;
}

ExitCode CommandContext::CallFailed(const grpc::Status& status) {
  err_ << DescribeRpcError(status) << RpcErrorHint(status, connection_.options());
  return ExitCode::kCallFailed;
}

ExitCode CommandContext::PrintResult(const google::protobuf::Message& response,
                                     absl::FunctionRef<std::string()> render_text) {
  if (!json()) {
    out_ << render_text();
    return ExitCode::kSuccess;
  }
  absl::StatusOr<std::string> json_text = ToJson(response);
  if (!json_text.ok()) {
    err_ << "error: " << json_text.status().message() << "\n";
    return ExitCode::kCallFailed;
  }
  out_ << *json_text;
  return ExitCode::kSuccess;
}

}  // namespace licensectl
