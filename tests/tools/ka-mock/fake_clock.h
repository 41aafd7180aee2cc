#pragma once

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "ka-mock/clock.h"

namespace ka_mock {

// A clock that stands still until the test moves it. Thread-safe, since the
// in-process server reads it from gRPC's threads.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time now) : now_(now) {}

  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }

  void Advance(absl::Duration step) {
    absl::MutexLock lock(&mu_);
    now_ += step;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

// 2024-03-01 12:00:00 UTC: a leap year, so terms that cross 29 February
// show up in the dates.
inline absl::Time TestEpoch() { return absl::FromUnixSeconds(1709294400); }

}  // namespace ka_mock
