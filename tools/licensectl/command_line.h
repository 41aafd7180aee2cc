// licensectl's argument parser: `licensectl [OPTIONS] COMMAND [OPTIONS] [ARGS]`.
//
// Abseil flags has no notion of subcommands, and CLI11 is not among our
// Debian packages, so this is a small parser of our own. It knows options
// only through tables (OptionSpec): the global options, and each command's
// own, looked up once the command's name is seen. Its rules:
//   - the first word that is not an option (nor an option's value) names the
//     command; later words are the command's arguments;
//   - global options go anywhere, before or after the command; a command's
//     own options go after the command (before it, they are not known yet);
//   - names are spelt with dashes (`--page-size`); `--page_size` is the
//     same option;
//   - `--name VALUE` and `--name=VALUE`; like getopt, the word after an
//     option that takes a value is that value, whatever it looks like;
//   - `-h` and `--help` anywhere ask for help;
//   - `--` ends the options: every later word is an argument.
// The parser checks names and the presence of values; what a value means
// (a number, one of a few words) is checked by whoever uses it.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "absl/types/span.h"

namespace licensectl {

// One `--name` option, as it appears in a table of options and in --help.
struct OptionSpec {
  // Without the leading dashes, e.g. "page-size".
  absl::string_view name;
  // What the value is, for help texts, e.g. "N"; empty for a switch, which
  // takes no value (e.g. "--json").
  absl::string_view value_name;
  // One line for --help.
  absl::string_view help;

  bool takes_value() const { return !value_name.empty(); }
};

// The options given on a command line, in the order given. An option given
// twice keeps both values: Get() answers the last one (as most tools do),
// GetAll() every one (for options meant to repeat).
class OptionValues {
 public:
  void Add(absl::string_view name, absl::string_view value);

  bool Has(absl::string_view name) const;
  // The last value of `name`; nullopt when absent. A switch has value "".
  absl::optional<std::string> Get(absl::string_view name) const;
  std::vector<std::string> GetAll(absl::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

// What ParseCommandLine found.
struct ParsedCommandLine {
  // The command's name; empty when none was given.
  std::string command;
  OptionValues global_options;
  OptionValues command_options;
  // The command's arguments (the words that are not options).
  std::vector<std::string> arguments;
  // -h or --help was given.
  bool help_requested = false;
  // Why the command line is unusable, for the operator ("unknown option
  // --colour"); empty when it is fine. Parsing stops at the first error;
  // `command` is still set if the command came before it, so that the
  // caller can show that command's usage.
  std::string usage_error;
};

// Answers a command's options, or nullptr when no command has that name.
using CommandOptionsLookup =
    absl::FunctionRef<const std::vector<OptionSpec>*(absl::string_view command)>;

// Parses `args` (argv without the program name). Pure; never fails
// otherwise than through ParsedCommandLine::usage_error.
ParsedCommandLine ParseCommandLine(absl::Span<const std::string> args,
                                   absl::Span<const OptionSpec> global_options,
                                   CommandOptionsLookup command_options);

}  // namespace licensectl
