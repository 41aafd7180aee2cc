#include "licensectl/help_text.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "licensectl/global_options.h"

namespace licensectl {
namespace {

// "--page-size N" as the option is written on the command line.
std::string Synopsis(const OptionSpec& option) {
  return option.takes_value() ? absl::StrCat("--", option.name, " ", option.value_name)
                              : absl::StrCat("--", option.name);
}

// Two columns, "  left  right", the right column aligned across the rows.
std::string TwoColumns(const std::vector<std::pair<std::string, std::string>>& rows) {
  size_t width = 0;
  for (const auto& row : rows) width = std::max(width, row.first.size());
  std::string text;
  for (const auto& [left, right] : rows) {
    absl::StrAppend(&text, "  ", left, std::string(width - left.size() + 2, ' '), right, "\n");
  }
  return text;
}

std::string OptionTable(absl::Span<const OptionSpec> options, bool with_help_option) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const OptionSpec& option : options) {
    rows.emplace_back(Synopsis(option), std::string(option.help));
  }
  if (with_help_option) rows.emplace_back("-h, --help", "show this help");
  return TwoColumns(rows);
}

constexpr absl::string_view kExitCodes =
    "Exit codes (the same with --json):\n"
    "    0  success (sync: the license is In Sync; sync-all, watch: the job found\n"
    "       no license Not In Sync and no error)\n"
    "    1  the call failed: the server's error, or no server (details on stderr);\n"
    "       sync-all, watch: the job failed, was cancelled, or some syncs failed\n"
    "    2  usage error: unknown command or option, missing or bad argument;\n"
    "       upgrade, terminate: a confirmation needed but no terminal (use --yes)\n"
    "    3  sync: the license is Not In Sync; sync-all, watch: the job succeeded\n"
    "       and found licenses Not In Sync; upgrade: the order was placed but\n"
    "       KA's answer left the license Not In Sync\n"
    "  130  sync-all, watch: Ctrl-C detached; the job keeps running on the server\n";

}  // namespace

std::string ToolHelp(absl::Span<const Command> commands, absl::Span<const OptionSpec> global_options) {
  std::vector<std::pair<std::string, std::string>> command_rows;
  for (const Command& command : commands) {
    command_rows.emplace_back(std::string(command.name), std::string(command.summary));
  }
  return absl::StrCat(
      "licensectl: the operator's command line for the License Sync Service.\n"
      "\n"
      "Usage: licensectl [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGUMENTS]\n"
      "\n"
      "Commands:\n",
      TwoColumns(command_rows),
      "\n"
      "Global options (before or after the command):\n",
      OptionTable(global_options, /*with_help_option=*/true),
      "\n"
      "Environment:\n"
      "  LICENSECTL_ADDRESS        default of --address\n"
      "  LICENSECTL_TOKEN          default of --token\n"
      "  LICENSECTL_TOKEN_FILE     default of --token-file\n"
      "  LICENSECTL_TLS_CA_FILE    default of --tls-ca-file\n"
      "  LICENSECTL_TLS_CERT_FILE  default of --tls-cert-file\n"
      "  LICENSECTL_TLS_KEY_FILE   default of --tls-key-file\n"
      "\n"
      "The token is sent as \"authorization: Bearer TOKEN\". It travels without TLS\n"
      "only to a loopback address (127.0.0.0/8, ::1, localhost, unix:PATH); to any\n"
      "other address licensectl refuses to send it unless TLS is on (--tls-ca-file).\n"
      "A token file must not be readable or writable by group or others (chmod 600).\n"
      "\n"
      "Run 'licensectl COMMAND --help' for a command's options.\n"
      "\n",
      kExitCodes);
}

std::string ToolUsage() {
  return "Usage: licensectl [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGUMENTS]\n"
         "Run 'licensectl --help' for the commands and options.\n";
}

std::string CommandHelp(const Command& command) {
  std::string text = absl::StrCat("Usage: licensectl ", command.usage, "\n\n", command.summary, "\n");
  if (!command.description.empty()) absl::StrAppend(&text, "\n", command.description);
  if (!command.options.empty()) {
    absl::StrAppend(&text, "\nOptions:\n", OptionTable(command.options, /*with_help_option=*/false));
  }
  std::vector<std::string> global;
  for (const OptionSpec& option : GlobalOptionSpecs()) global.push_back(Synopsis(option));
  absl::StrAppend(&text, "\nGlobal options: ", absl::StrJoin(global, ", "),
                  "\n(see 'licensectl --help').\n");
  return text;
}

std::string CommandUsage(const Command& command) {
  return absl::StrCat("Usage: licensectl ", command.usage, "\n", "Run 'licensectl ", command.name,
                      " --help' for details.\n");
}

}  // namespace licensectl
