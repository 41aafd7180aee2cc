#pragma once

#include "absl/time/time.h"

namespace ka_mock {

// The time KA stamps on keys: create, update-due and expiry dates. An
// interface so that tests can fix "now" and step it. Injected latency does
// not go through it: that models transport time, not KA's calendar.
//
// Implementations must be safe to call from any thread.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// The wall clock. Stateless, so one instance serves every thread.
const Clock& SystemClock();

}  // namespace ka_mock
