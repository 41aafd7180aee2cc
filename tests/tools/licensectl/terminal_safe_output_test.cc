// The filter on licensectl's standard output and error: what passes, what
// is replaced, the live bar's carriage return around it, and flushing.
#include "licensectl/terminal_safe_output.h"

#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "licensectl/terminal_safe_text.h"

namespace licensectl {
namespace {

const std::string kR(kReplacementCharacter);

TEST(TerminalSafeOutputTest, NewlinesPassEveryOtherControlIsReplaced) {
  std::ostringstream destination;
  {
    TerminalSafeOutput safe(destination);
    safe.stream() << "In Sync\n" << "a\x1b[2Jb\rc\td\x7f" << '\x07' << "\xc2\x9b" << "31m\n";
    EXPECT_EQ(destination.str(), "In Sync\na" + kR + "[2Jb" + kR + "c" + kR + "d" + kR + kR + kR + "31m\n")
        << "written through at once, nothing held back";
  }
}

TEST(TerminalSafeOutputTest, ASequenceCutBetweenWritesIsJoinedAndOneLeftIncompleteIsReplaced) {
  std::ostringstream destination;
  {
    TerminalSafeOutput safe(destination);
    safe.stream() << "\xe2\x82" << "\xac" << " \xff " << "\xe2\x82";
    EXPECT_EQ(destination.str(), "\xe2\x82\xac " + kR + " ");
  }
  EXPECT_EQ(destination.str(), "\xe2\x82\xac " + kR + " " + kR) << "the end of output ends the sequence";
}

TEST(TerminalSafeOutputTest, TheBarsCarriageReturnGoesAroundTheFilter) {
  std::ostringstream destination;
  TerminalSafeOutput safe(destination);
  WriteCarriageReturn(safe.stream());
  safe.stream() << "[###---] 1/2";
  EXPECT_EQ(destination.str(), "\r[###---] 1/2");

  std::ostringstream plain;
  WriteCarriageReturn(plain);
  EXPECT_EQ(plain.str(), "\r") << "any other stream gets it as is";
}

TEST(TerminalSafeOutputTest, TheFinalDestinationIsTheWrappedStream) {
  std::ostringstream destination;
  TerminalSafeOutput safe(destination);
  EXPECT_EQ(&FinalDestination(safe.stream()), &destination);
  EXPECT_EQ(&FinalDestination(destination), &destination);
}

// Counts the flushes that reach it.
class FlushCounter : public std::stringbuf {
 public:
  int flushes = 0;

 protected:
  int sync() override {
    ++flushes;
    return 0;
  }
};

TEST(TerminalSafeOutputTest, FlushingReachesTheDestination) {
  FlushCounter counter;
  std::ostream destination(&counter);
  TerminalSafeOutput safe(destination);
  safe.stream() << "question? " << std::flush;
  EXPECT_EQ(counter.flushes, 1);
  EXPECT_EQ(counter.str(), "question? ");
}

}  // namespace
}  // namespace licensectl
