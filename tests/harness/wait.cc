#include "tests/harness/wait.h"

#include <algorithm>

#include "absl/time/clock.h"

namespace lss::harness {

bool WaitFor(const std::function<bool()>& condition, absl::Duration timeout,
             absl::Duration poll) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    if (condition()) return true;
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return false;
    // Never oversleep the deadline: the final check happens at the deadline.
    absl::SleepFor(std::min(poll, left));
  }
}

}  // namespace lss::harness
