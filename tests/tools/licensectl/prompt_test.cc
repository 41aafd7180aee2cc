// Questions and answers: what counts as yes or no, how lists split, and the
// Prompter over a stream of answers (end of input, echo, asking again).
#include "licensectl/prompt.h"

#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace licensectl {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(PromptTest, YesAndNoInAnyCaseEnterIsNo) {
  for (const char* yes : {"y", "Y", "yes", "YES", "Yes", " y "}) EXPECT_EQ(ParseYesNo(yes), true) << yes;
  for (const char* no : {"n", "N", "no", "No", "", "  "}) EXPECT_EQ(ParseYesNo(no), false) << no;
  for (const char* neither : {"yep", "0", "1", "maybe", "yes please"}) {
    EXPECT_EQ(ParseYesNo(neither), absl::nullopt) << neither;
  }
}

TEST(PromptTest, ListsSplitOnCommasAndBlanks) {
  EXPECT_THAT(SplitList("POWER_PACK"), ElementsAre("POWER_PACK"));
  EXPECT_THAT(SplitList("A,B"), ElementsAre("A", "B"));
  EXPECT_THAT(SplitList(" A, B ,,C\tD "), ElementsAre("A", "B", "C", "D"));
  EXPECT_THAT(SplitList(""), IsEmpty());
  EXPECT_THAT(SplitList(" , "), IsEmpty());
}

TEST(PromptTest, AskReadsOneTrimmedLineAndSaysWhenTheInputEnded) {
  std::istringstream answers("  300 \n\nlast line without newline");
  std::ostringstream questions, output;
  Prompter prompter(answers, questions, output, /*echo_answers=*/false);
  EXPECT_EQ(prompter.Ask("Capacity: "), "300");
  EXPECT_EQ(prompter.Ask("Features: "), "") << "Enter";
  EXPECT_EQ(prompter.Ask("More: "), "last line without newline");
  EXPECT_EQ(prompter.Ask("Again: "), absl::nullopt);
  EXPECT_EQ(questions.str(), "Capacity: Features: More: Again: \n");
}

TEST(PromptTest, AnswersFromAFileAreEchoedSoTheTranscriptReads) {
  std::istringstream answers("300\n");
  std::ostringstream questions, output;
  Prompter prompter(answers, questions, output, /*echo_answers=*/true);
  EXPECT_EQ(prompter.Ask("Capacity: "), "300");
  EXPECT_EQ(questions.str(), "Capacity: 300\n");
}

TEST(PromptTest, ConfirmAsksAgainUntilYesOrNo) {
  std::istringstream answers("maybe\nYES\n");
  std::ostringstream questions, output;
  Prompter prompter(answers, questions, output, /*echo_answers=*/true);
  EXPECT_EQ(prompter.Confirm("Place the order?"), true);
  EXPECT_EQ(questions.str(),
            "Place the order? [y/N] maybe\n"
            "Please answer y or n (Enter is n); got 'maybe'.\n"
            "Place the order? [y/N] YES\n");

  std::istringstream enter("\n");
  Prompter defaults(enter, questions, output, false);
  EXPECT_EQ(defaults.Confirm("Place the order?"), false) << "Enter is the default: no";

  std::istringstream nothing("");
  Prompter ended(nothing, questions, output, false);
  EXPECT_EQ(ended.Confirm("Place the order?"), absl::nullopt);
}

}  // namespace
}  // namespace licensectl
