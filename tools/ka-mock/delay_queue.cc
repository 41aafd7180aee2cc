#include "ka-mock/delay_queue.h"

#include <algorithm>
#include <utility>

#include "absl/time/clock.h"

namespace ka_mock {
namespace {

// std::push_heap builds a max-heap: "less" here means "due later".
struct DueLater {
  template <typename Entry>
  bool operator()(const Entry& a, const Entry& b) const {
    if (a.due != b.due) return a.due > b.due;
    return a.sequence > b.sequence;
  }
};

}  // namespace

DelayQueue::DelayQueue() : thread_([this] { Loop(); }) {}

DelayQueue::~DelayQueue() { Shutdown(); }

void DelayQueue::RunAt(absl::Time due, absl::AnyInvocable<void()> callback) {
  {
    absl::MutexLock lock(&mu_);
    if (!shutting_down_) {
      heap_.push_back({due, next_sequence_++, std::move(callback)});
      std::push_heap(heap_.begin(), heap_.end(), DueLater());
      // The timer sleeps until the earliest due time; only a new earliest
      // entry needs to wake it. With a fixed latency that is rare.
      if (heap_.front().sequence == next_sequence_ - 1) wake_.Signal();
      return;
    }
  }
  callback();
}

void DelayQueue::Shutdown() {
  {
    absl::MutexLock lock(&mu_);
    shutting_down_ = true;
    wake_.Signal();
  }
  if (thread_.joinable()) thread_.join();
}

void DelayQueue::Loop() {
  std::vector<Entry> ready;
  while (TakeReady(ready)) {
    for (Entry& entry : ready) entry.callback();
    ready.clear();
  }
}

bool DelayQueue::TakeReady(std::vector<Entry>& ready) {
  absl::MutexLock lock(&mu_);
  while (true) {
    if (heap_.empty()) {
      if (shutting_down_) return false;
      wake_.Wait(&mu_);
      continue;
    }
    const absl::Time now = absl::Now();
    if (!shutting_down_ && now < heap_.front().due) {
      wake_.WaitWithDeadline(&mu_, heap_.front().due);
      continue;
    }
    while (!heap_.empty() && (shutting_down_ || heap_.front().due <= now)) {
      std::pop_heap(heap_.begin(), heap_.end(), DueLater());
      ready.push_back(std::move(heap_.back()));
      heap_.pop_back();
    }
    return true;
  }
}

}  // namespace ka_mock
