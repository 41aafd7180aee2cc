#include "client/retry_policy.h"

#include <cmath>
#include <limits>
#include <random>

#include "gtest/gtest.h"

namespace lss {
namespace {

TEST(RetryPolicyTest, CeilingDoublesFromInitialUpToMax) {
  const RetryPolicy policy;  // 100 ms, x2, at most 2 s
  EXPECT_EQ(BackoffCeiling(policy, 1), absl::Milliseconds(100));
  EXPECT_EQ(BackoffCeiling(policy, 2), absl::Milliseconds(200));
  EXPECT_EQ(BackoffCeiling(policy, 3), absl::Milliseconds(400));
  EXPECT_EQ(BackoffCeiling(policy, 4), absl::Milliseconds(800));
  EXPECT_EQ(BackoffCeiling(policy, 5), absl::Milliseconds(1600));
  EXPECT_EQ(BackoffCeiling(policy, 6), absl::Seconds(2));
  EXPECT_EQ(BackoffCeiling(policy, 7), absl::Seconds(2));
}

TEST(RetryPolicyTest, HugeRetryNumbersSaturateInsteadOfOverflowing) {
  const RetryPolicy policy;
  EXPECT_EQ(BackoffCeiling(policy, 5000), absl::Seconds(2));
  EXPECT_EQ(BackoffCeiling(policy, std::numeric_limits<int>::max()), absl::Seconds(2));
}

TEST(RetryPolicyTest, JitteredBackoffStaysWithinZeroAndCeiling) {
  RetryPolicy policy;
  policy.initial_backoff = absl::Milliseconds(100);
  policy.max_backoff = absl::Seconds(2);
  std::mt19937_64 engine(12345);  // injected randomness: reproducible
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (int retry = 1; retry <= 10; ++retry) {
    const absl::Duration bound =
        std::min(policy.max_backoff, policy.initial_backoff * std::pow(2.0, retry - 1));
    for (int draw = 0; draw < 1000; ++draw) {
      const absl::Duration delay = JitteredBackoff(policy, retry, uniform(engine));
      ASSERT_GE(delay, absl::ZeroDuration()) << "retry " << retry;
      ASSERT_LE(delay, bound) << "retry " << retry;
    }
  }
}

TEST(RetryPolicyTest, JitterEndsMapToTheEnds) {
  const RetryPolicy policy;
  EXPECT_EQ(JitteredBackoff(policy, 3, 0.0), absl::ZeroDuration());
  EXPECT_EQ(JitteredBackoff(policy, 3, 0.5), absl::Milliseconds(200));
  EXPECT_EQ(JitteredBackoff(policy, 3, 1.0), absl::Milliseconds(400));
}

TEST(RetryPolicyTest, OutOfRangeRandomnessIsClamped) {
  const RetryPolicy policy;
  EXPECT_EQ(JitteredBackoff(policy, 2, -3.0), absl::ZeroDuration());
  EXPECT_EQ(JitteredBackoff(policy, 2, 7.0), absl::Milliseconds(200));
  EXPECT_EQ(JitteredBackoff(policy, 2, std::nan("")), absl::ZeroDuration());
}

TEST(RetryPolicyTest, ValidationRejectsNonsense) {
  EXPECT_TRUE(ValidateRetryPolicy(RetryPolicy()).ok());
  RetryPolicy zero_attempts;
  zero_attempts.max_attempts = 0;
  EXPECT_EQ(ValidateRetryPolicy(zero_attempts).code(), absl::StatusCode::kInvalidArgument);
  RetryPolicy inverted;
  inverted.max_backoff = absl::Milliseconds(10);
  EXPECT_EQ(ValidateRetryPolicy(inverted).code(), absl::StatusCode::kInvalidArgument);
  RetryPolicy shrinking;
  shrinking.backoff_multiplier = 0.5;
  EXPECT_EQ(ValidateRetryPolicy(shrinking).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace lss
