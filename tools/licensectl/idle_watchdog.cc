#include "licensectl/idle_watchdog.h"

#include <utility>

#include "absl/time/clock.h"

namespace licensectl {

IdleWatchdog::IdleWatchdog(absl::Duration limit, std::function<void()> on_idle)
    : limit_(limit), on_idle_(std::move(on_idle)), last_activity_(absl::Now()) {
  thread_ = std::thread([this] { Loop(); });
}

IdleWatchdog::~IdleWatchdog() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void IdleWatchdog::Feed() {
  absl::MutexLock lock(&mu_);
  last_activity_ = absl::Now();
}

bool IdleWatchdog::fired() const {
  absl::MutexLock lock(&mu_);
  return fired_;
}

void IdleWatchdog::Loop() {
  {
    absl::MutexLock lock(&mu_);
    while (true) {
      if (stopping_) return;
      // Feed() only moves the deadline later, so waking at the old one and
      // looking again is enough: no wake-up per event.
      const absl::Time deadline = last_activity_ + limit_;
      if (absl::Now() >= deadline) break;
      mu_.AwaitWithDeadline(absl::Condition(&stopping_), deadline);
    }
    fired_ = true;
  }
  on_idle_();
}

}  // namespace licensectl
