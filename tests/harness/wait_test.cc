// WaitFor: returns as soon as the condition holds, and gives up at its
// deadline. No upper bound on elapsed time is asserted: CI machines stall.
#include "tests/harness/wait.h"

#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace lss::harness {
namespace {

TEST(WaitForTest, ReturnsTrueOnceTheConditionHolds) {
  int calls = 0;
  EXPECT_TRUE(WaitFor([&] { return ++calls == 3; }, absl::Seconds(60),
                      absl::Milliseconds(1)));
  EXPECT_EQ(calls, 3) << "polled past the first success";
}

TEST(WaitForTest, ReturnsFalseAtTheDeadlineWhenTheConditionNeverHolds) {
  const absl::Duration timeout = absl::Milliseconds(50);
  const absl::Time start = absl::Now();
  int calls = 0;
  EXPECT_FALSE(WaitFor(
      [&] {
        ++calls;
        return false;
      },
      timeout));
  EXPECT_GE(absl::Now() - start, timeout) << "gave up before the deadline";
  EXPECT_GE(calls, 2) << "the condition is checked again at the deadline";
}

TEST(WaitForTest, ZeroTimeoutChecksOnce) {
  int calls = 0;
  EXPECT_TRUE(WaitFor([&] { return ++calls > 0; }, absl::ZeroDuration()));
  EXPECT_FALSE(WaitFor([] { return false; }, absl::ZeroDuration()));
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace lss::harness
