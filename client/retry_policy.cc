#include "client/retry_policy.h"

#include <algorithm>
#include <cmath>

#include "common/status/error_details.h"

namespace lss {

absl::Status ValidateRetryPolicy(const RetryPolicy& policy) {
  if (policy.max_attempts < 1) return InvalidArgumentError("max_attempts", "must be at least 1");
  if (policy.initial_backoff < absl::ZeroDuration()) {
    return InvalidArgumentError("initial_backoff", "must not be negative");
  }
  if (policy.max_backoff < policy.initial_backoff) {
    return InvalidArgumentError("max_backoff", "must not be less than initial_backoff");
  }
  if (!(policy.backoff_multiplier >= 1.0)) {
    return InvalidArgumentError("backoff_multiplier", "must be at least 1");
  }
  return absl::OkStatus();
}

absl::Duration BackoffCeiling(const RetryPolicy& policy, int retry) {
  // In floating point so that a large retry number saturates at max_backoff
  // instead of overflowing.
  const double growth = std::pow(policy.backoff_multiplier, std::max(retry - 1, 0));
  const double seconds = absl::ToDoubleSeconds(policy.initial_backoff) * growth;
  const double max_seconds = absl::ToDoubleSeconds(policy.max_backoff);
  return seconds >= max_seconds ? policy.max_backoff : absl::Seconds(seconds);
}

absl::Duration JitteredBackoff(const RetryPolicy& policy, int retry, double unit) {
  const double fraction = unit >= 0.0 ? std::min(unit, 1.0) : 0.0;  // NaN reads as 0
  return BackoffCeiling(policy, retry) * fraction;
}

}  // namespace lss
