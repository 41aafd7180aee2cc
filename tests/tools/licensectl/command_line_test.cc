// The argument parser: where options may go, how values are taken, and
// what counts as a usage error.
#include "licensectl/command_line.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace licensectl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Optional;

const std::vector<OptionSpec> kGlobal = {
    {"address", "HOST:PORT", ""},
    {"json", "", ""},
};
const std::vector<OptionSpec> kGetOptions = {
    {"id", "N", ""},
    {"key", "KEY_NUMBER", ""},
};
const std::vector<OptionSpec> kListOptions = {
    {"page-size", "N", ""},
    {"all", "", ""},
};

const std::vector<OptionSpec>* Lookup(absl::string_view command) {
  if (command == "get") return &kGetOptions;
  if (command == "list") return &kListOptions;
  return nullptr;
}

ParsedCommandLine Parse(std::vector<std::string> args) {
  return ParseCommandLine(args, kGlobal, Lookup);
}

TEST(CommandLineTest, GlobalOptionsGoBeforeOrAfterTheCommand) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--address", "h:1", "--json", "get", "7"},
           {"get", "7", "--address", "h:1", "--json"},
           {"--json", "get", "--address=h:1", "7"},
       }) {
    const ParsedCommandLine parsed = Parse(args);
    EXPECT_THAT(parsed.usage_error, IsEmpty());
    EXPECT_EQ(parsed.command, "get");
    EXPECT_THAT(parsed.global_options.Get("address"), Optional(std::string("h:1")));
    EXPECT_TRUE(parsed.global_options.Has("json"));
    EXPECT_THAT(parsed.arguments, ElementsAre("7"));
  }
}

TEST(CommandLineTest, CommandOptionsTakeValuesBothWays) {
  const ParsedCommandLine parsed = Parse({"list", "--page-size", "5", "--all"});
  EXPECT_THAT(parsed.usage_error, IsEmpty());
  EXPECT_THAT(parsed.command_options.Get("page-size"), Optional(std::string("5")));
  EXPECT_TRUE(parsed.command_options.Has("all"));
  EXPECT_FALSE(parsed.global_options.Has("page-size"));

  EXPECT_THAT(Parse({"list", "--page-size=5"}).command_options.Get("page-size"),
              Optional(std::string("5")));
}

TEST(CommandLineTest, UnderscoresSpellTheSameOptionAsDashes) {
  const ParsedCommandLine parsed = Parse({"list", "--page_size", "5", "--page_size=6"});
  EXPECT_THAT(parsed.usage_error, IsEmpty());
  EXPECT_THAT(parsed.command_options.GetAll("page-size"), ElementsAre("5", "6"));
  EXPECT_THAT(Parse({"list", "--page_sizes", "5"}).usage_error, HasSubstr("unknown option --page_sizes"));
}

TEST(CommandLineTest, AnEqualsSignKeepsTheRestOfTheValue) {
  EXPECT_THAT(Parse({"get", "--key=a=b"}).command_options.Get("key"),
              Optional(std::string("a=b")));
}

TEST(CommandLineTest, TheWordAfterAnOptionIsItsValueWhateverItLooksLike) {
  const ParsedCommandLine parsed = Parse({"get", "--key", "--json"});
  EXPECT_THAT(parsed.usage_error, IsEmpty());
  EXPECT_THAT(parsed.command_options.Get("key"), Optional(std::string("--json")));
  EXPECT_FALSE(parsed.global_options.Has("json"));
}

TEST(CommandLineTest, TheLastValueOfARepeatedOptionWins) {
  const ParsedCommandLine parsed = Parse({"get", "--id", "1", "--id", "2"});
  EXPECT_THAT(parsed.command_options.Get("id"), Optional(std::string("2")));
  EXPECT_THAT(parsed.command_options.GetAll("id"), ElementsAre("1", "2"));
}

TEST(CommandLineTest, UnknownOptionIsAUsageError) {
  const ParsedCommandLine parsed = Parse({"get", "--colour", "7"});
  EXPECT_THAT(parsed.usage_error, HasSubstr("unknown option --colour"));
  EXPECT_EQ(parsed.command, "get") << "the command is known, so its usage can be shown";
}

TEST(CommandLineTest, UnknownShortOptionIsAUsageError) {
  EXPECT_THAT(Parse({"get", "-x"}).usage_error, HasSubstr("unknown option -x"));
}

TEST(CommandLineTest, ACommandsOptionBeforeTheCommandIsAUsageError) {
  const ParsedCommandLine parsed = Parse({"--all", "list"});
  EXPECT_THAT(parsed.usage_error, HasSubstr("unknown option --all"));
  EXPECT_THAT(parsed.usage_error, HasSubstr("after the command"));
}

TEST(CommandLineTest, AnotherCommandsOptionIsAUsageError) {
  EXPECT_THAT(Parse({"get", "--all"}).usage_error, HasSubstr("unknown option --all for 'get'"));
}

TEST(CommandLineTest, UnknownCommandIsAUsageError) {
  const ParsedCommandLine parsed = Parse({"--json", "frobnicate"});
  EXPECT_THAT(parsed.usage_error, HasSubstr("unknown command 'frobnicate'"));
  EXPECT_THAT(parsed.command, IsEmpty());
}

TEST(CommandLineTest, MissingValueIsAUsageError) {
  EXPECT_THAT(Parse({"get", "--id"}).usage_error, HasSubstr("--id needs a value (N)"));
}

TEST(CommandLineTest, ValueGivenToASwitchIsAUsageError) {
  EXPECT_THAT(Parse({"get", "--json=yes"}).usage_error, HasSubstr("--json takes no value"));
}

TEST(CommandLineTest, HelpAnywhere) {
  EXPECT_TRUE(Parse({"--help"}).help_requested);
  EXPECT_TRUE(Parse({"-h"}).help_requested);
  const ParsedCommandLine parsed = Parse({"get", "--help"});
  EXPECT_TRUE(parsed.help_requested);
  EXPECT_EQ(parsed.command, "get");
  EXPECT_THAT(parsed.usage_error, IsEmpty());
}

TEST(CommandLineTest, DoubleDashEndsTheOptions) {
  const ParsedCommandLine parsed = Parse({"get", "--", "--help", "-x"});
  EXPECT_THAT(parsed.usage_error, IsEmpty());
  EXPECT_FALSE(parsed.help_requested);
  EXPECT_THAT(parsed.arguments, ElementsAre("--help", "-x"));
}

TEST(CommandLineTest, NoArgumentsGiveNoCommand) {
  const ParsedCommandLine parsed = Parse({});
  EXPECT_THAT(parsed.usage_error, IsEmpty());
  EXPECT_THAT(parsed.command, IsEmpty());
}

}  // namespace
}  // namespace licensectl
