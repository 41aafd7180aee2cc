#include "client/call_limiter.h"

#include <utility>

namespace lss {

CallLimiter::CallLimiter(int max_in_flight) : max_in_flight_(max_in_flight) {}

void CallLimiter::Submit(Start start) {
  bool admitted = false;
  {
    absl::MutexLock lock(&mu_);
    if (!shut_down_) {
      if (in_flight_ >= max_in_flight_) {
        queue_.push_back(std::move(start));
        return;
      }
      ++in_flight_;
      admitted = true;
    }
  }
  std::move(start)(admitted);
}

void CallLimiter::Release() {
  Start next;
  {
    absl::MutexLock lock(&mu_);
    if (queue_.empty()) {
      --in_flight_;
      return;
    }
    // The slot passes straight to the oldest waiter: in_flight_ is unchanged.
    next = std::move(queue_.front());
    queue_.pop_front();
  }
  std::move(next)(true);
}

void CallLimiter::Shutdown() {
  std::deque<Start> refused;
  {
    absl::MutexLock lock(&mu_);
    shut_down_ = true;
    refused.swap(queue_);
  }
  for (Start& start : refused) std::move(start)(false);
}

int CallLimiter::InFlight() const {
  absl::MutexLock lock(&mu_);
  return in_flight_;
}

int CallLimiter::Queued() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(queue_.size());
}

}  // namespace lss
