// The --help texts and usage lines, built from the tables (commands, their
// options, the global options), so that help never disagrees with what the
// parser accepts.
#pragma once

#include <string>

#include "absl/types/span.h"
#include "licensectl/command_line.h"
#include "licensectl/commands.h"

namespace licensectl {

// `licensectl --help`: the commands, the global options, the environment,
// the exit codes.
std::string ToolHelp(absl::Span<const Command> commands, absl::Span<const OptionSpec> global_options);

// What follows a usage error that names no command: the synopsis and where
// to read more.
std::string ToolUsage();

// `licensectl COMMAND --help`: usage, description, the command's options.
std::string CommandHelp(const Command& command);

// What follows a usage error of a command: its usage line and where to
// read more.
std::string CommandUsage(const Command& command);

}  // namespace licensectl
