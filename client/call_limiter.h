// A bound on the calls a client has in flight, with a FIFO queue for the
// rest: KA is shared by every replica and every SyncAll, so one process must
// not open thousands of calls at once, yet callers must never block waiting
// for a slot.
//
// A start is admitted (runs holding a slot) at once when a slot is free,
// otherwise when an earlier call releases one, in submission order. Starts
// run on the thread that submits or releases, outside the limiter's lock, so
// they may submit or release again.
//
// Thread-safe.
#pragma once

#include <deque>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace lss {

class CallLimiter {
 public:
  // Runs once: with true holding a slot (the call must later Release() it),
  // or with false, holding nothing, when the limiter is shut down.
  using Start = absl::AnyInvocable<void(bool admitted) &&>;

  explicit CallLimiter(int max_in_flight);

  CallLimiter(const CallLimiter&) = delete;
  CallLimiter& operator=(const CallLimiter&) = delete;

  // Admits `start` now or queues it. After Shutdown, runs it with false.
  void Submit(Start start);

  // A call admitted earlier has finished: its slot goes to the oldest queued
  // start, if any.
  void Release();

  // Refuses new starts and runs every queued one with false, here.
  void Shutdown();

  int InFlight() const;  // slots held
  int Queued() const;    // starts waiting for a slot

 private:
  const int max_in_flight_;
  mutable absl::Mutex mu_;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
  std::deque<Start> queue_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lss
