// The filter between the server's strings and the operator's terminal:
// which characters it replaces, how it reads invalid UTF-8, and that a
// sequence cut between two writes is judged whole.
#include "licensectl/terminal_safe_text.h"

#include <string>

#include "gtest/gtest.h"
#include "terminal_safety.h"

namespace licensectl {
namespace {

using testing::IsTerminalSafe;

const std::string kR(kReplacementCharacter);

TEST(TerminalSafeTextTest, EscapeSequencesLoseTheirEscape) {
  EXPECT_EQ(TerminalSafeField("a\x1b[2Jb"), "a" + kR + "[2Jb") << "clear screen";
  EXPECT_EQ(TerminalSafeField("\x1b]0;owned\x07"), kR + "]0;owned" + kR) << "OSC: set the title";
  EXPECT_EQ(TerminalSafeField("x\xc2\x9b" "2Jy"), "x" + kR + "2Jy") << "C1 CSI, U+009B";
  EXPECT_EQ(TerminalSafeField("\xc2\x80\xc2\x9f"), kR + kR) << "the ends of the C1 range";
}

TEST(TerminalSafeTextTest, EveryC0ControlAndDelIsReplacedInAField) {
  for (int c = 0; c < 0x20; ++c) {
    EXPECT_EQ(TerminalSafeField(std::string(1, static_cast<char>(c))), kR) << c;
  }
  EXPECT_EQ(TerminalSafeField("\x7f"), kR);
  EXPECT_EQ(TerminalSafeField("one\ntwo\rthree\tfour\bfive"), "one" + kR + "two" + kR + "three" + kR + "four" + kR + "five");
}

TEST(TerminalSafeTextTest, PrintableTextIsKeptAsIs) {
  const std::string text = "PLSK.00000002.0000 Übersicht €5 日本 \xF0\x9F\x94\x91 ~!";
  EXPECT_EQ(TerminalSafeField(text), text);
  EXPECT_EQ(TerminalSafeField("\xc2\xa0\xc2\xa9"), "\xc2\xa0\xc2\xa9") << "U+00A0 and up are not C1";
}

TEST(TerminalSafeTextTest, InvalidUtf8IsReplacedOncePerMaximalSubpart) {
  EXPECT_EQ(TerminalSafeField("a\xff" "b"), "a" + kR + "b");
  EXPECT_EQ(TerminalSafeField("\x9b" "2J"), kR + "2J") << "a raw C1 byte is no UTF-8";
  EXPECT_EQ(TerminalSafeField("\xc0\xaf"), kR + kR) << "overlong '/'";
  EXPECT_EQ(TerminalSafeField("\xe0\x80\xaf"), kR + kR + kR) << "overlong, three bytes";
  EXPECT_EQ(TerminalSafeField("\xed\xa0\x80"), kR + kR + kR) << "a surrogate";
  EXPECT_EQ(TerminalSafeField("\xf4\x90\x80\x80"), kR + kR + kR + kR) << "above U+10FFFF";
  EXPECT_EQ(TerminalSafeField("\xe2\x82" "x"), kR + "x") << "a truncated euro sign: one replacement";
  EXPECT_EQ(TerminalSafeField("\xe2\x82"), kR) << "truncated at the end";
  EXPECT_EQ(TerminalSafeField("\xe2\x82\x1b[2J"), kR + kR + "[2J") << "the byte that broke it is read afresh";
}

TEST(TerminalSafeTextTest, TheStreamFormKeepsNewlinesAndJoinsSequencesCutBetweenWrites) {
  TerminalSafeFilter filter(TerminalSafeFilter::Newlines::kKeep);
  std::string out;
  filter.Append("line one\n\xe2\x82", out);
  EXPECT_EQ(out, "line one\n") << "the cut sequence waits";
  filter.Append("\xac\r\n", out);
  filter.Append("\xe2", out);
  filter.Finish(out);
  EXPECT_EQ(out, "line one\n\xe2\x82\xac" + kR + "\n" + kR);
}

TEST(TerminalSafeTextTest, WhateverComesInWhatGoesOutIsSafe) {
  std::string every_byte;
  for (int c = 0; c < 256; ++c) every_byte += static_cast<char>(c);
  EXPECT_TRUE(IsTerminalSafe(TerminalSafeField(every_byte), testing::Newlines::kForbidden));
  EXPECT_TRUE(IsTerminalSafe(TerminalSafeField(every_byte + every_byte)));
}

TEST(TerminalSafeTextTest, DisplayWidthCountsCharacters) {
  EXPECT_EQ(DisplayWidth("PLSK.1"), 6u);
  EXPECT_EQ(DisplayWidth("Übersicht"), 9u);
  EXPECT_EQ(DisplayWidth(TerminalSafeField("a\x1b[2J")), 5u);
}

}  // namespace
}  // namespace licensectl
