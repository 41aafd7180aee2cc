// When and how soon the KA client tries a failed call again (AIP-194: only
// UNAVAILABLE is retried, with exponential backoff and full jitter, so that
// many callers hit by one KA outage do not come back in lockstep).
//
// A value type and pure functions: thread-safe.
#pragma once

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace lss {

struct RetryPolicy {
  int max_attempts = 4;  // the first attempt included; 1 disables retries
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(2);
  double backoff_multiplier = 2.0;
};

// INVALID_ARGUMENT naming the first nonsensical setting, else OK.
absl::Status ValidateRetryPolicy(const RetryPolicy& policy);

// The longest wait before retry number `retry` (1 for the first retry):
// min(max_backoff, initial_backoff * multiplier^(retry - 1)).
absl::Duration BackoffCeiling(const RetryPolicy& policy, int retry);

// Full jitter: the wait before retry number `retry`, `unit` (a uniform random
// number in [0, 1), clamped to it) of the way from zero to the ceiling.
absl::Duration JitteredBackoff(const RetryPolicy& policy, int retry, double unit);

}  // namespace lss
