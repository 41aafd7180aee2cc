#include "server/app/flag_spelling.h"

#include <gtest/gtest.h>

namespace lss {
namespace {

std::vector<std::string> Normalize(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  return NormalizeFlagSpelling(static_cast<int>(argv.size()), argv.data());
}

TEST(FlagSpellingTest, DashesInNamesBecomeUnderscores) {
  EXPECT_EQ(Normalize({"prog", "--ka-address=127.0.0.1:1", "--daily-at", "02:00"}),
            (std::vector<std::string>{"prog", "--ka_address=127.0.0.1:1", "--daily_at", "02:00"}));
}

TEST(FlagSpellingTest, ValuesAndPositionalsAreUntouched) {
  EXPECT_EQ(Normalize({"prog", "--db=sqlite:my-file.db", "some-arg", "--", "--not-a-flag"}),
            (std::vector<std::string>{"prog", "--db=sqlite:my-file.db", "some-arg", "--", "--not-a-flag"}));
}

}  // namespace
}  // namespace lss
