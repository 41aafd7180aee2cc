// WaitFor: the one way harness code and tests wait for something to happen.
//
// Tests never sleep for a fixed time: a fixed sleep is either too short on a
// loaded CI machine (flaky) or too long everywhere else (slow). Instead they
// state the condition they need and the longest they are willing to wait.
#pragma once

#include <functional>

#include "absl/time/time.h"

namespace lss::harness {

// Evaluates `condition` every `poll` until it returns true (returns true) or
// `timeout` has passed (returns false). The condition is evaluated at least
// once, and once more at the deadline, so a zero timeout is a plain check and
// a condition that becomes true during the last poll interval is not missed.
//
// Thread-safe if `condition` is; it runs on the calling thread.
bool WaitFor(const std::function<bool()>& condition, absl::Duration timeout,
             absl::Duration poll = absl::Milliseconds(10));

}  // namespace lss::harness
