// The commands table: every command is complete, and no command's option
// hides a global one (the parser looks global options up first, so such an
// option could never be given).
#include "licensectl/commands.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "licensectl/global_options.h"
#include "licensectl/help_text.h"

namespace licensectl {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

TEST(CommandsTest, EveryCommandIsComplete) {
  for (const Command& command : AllCommands()) {
    SCOPED_TRACE(std::string(command.name));
    EXPECT_THAT(command.name, Not(IsEmpty()));
    EXPECT_THAT(command.summary, Not(IsEmpty()));
    EXPECT_THAT(std::string(command.usage), HasSubstr(std::string(command.name)));
    EXPECT_NE(command.run, nullptr);
    EXPECT_EQ(FindCommand(command.name), &command);
  }
  EXPECT_EQ(FindCommand("no-such-command"), nullptr);
}

TEST(CommandsTest, NoCommandOptionHidesAGlobalOption) {
  for (const Command& command : AllCommands()) {
    for (const OptionSpec& option : command.options) {
      for (const OptionSpec& global : GlobalOptionSpecs()) {
        EXPECT_NE(option.name, global.name) << command.name;
      }
    }
  }
}

TEST(CommandsTest, HelpShowsEveryCommandAndOption) {
  const std::string tool_help = ToolHelp(AllCommands(), GlobalOptionSpecs());
  for (const Command& command : AllCommands()) {
    EXPECT_THAT(tool_help, HasSubstr(absl::StrCat("  ", command.name, "  ")));
    const std::string command_help = CommandHelp(command);
    for (const OptionSpec& option : command.options) {
      EXPECT_THAT(command_help, HasSubstr(absl::StrCat("--", option.name))) << command.name;
    }
  }
}

}  // namespace
}  // namespace licensectl
