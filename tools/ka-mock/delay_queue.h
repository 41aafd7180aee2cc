#pragma once

#include <cstdint>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace ka_mock {

// Runs callbacks at their due time on one timer thread. Injected latency
// waits here instead of on a gRPC thread: 256 answers delayed by 20 ms cost
// one sleeping thread and a heap of 256 entries, not 256 blocked threads.
//
// Thread-safe. Callbacks run on the timer thread in due order (ties in
// order of arrival) and must be short: they finish gRPC reactors.
class DelayQueue {
 public:
  DelayQueue();
  ~DelayQueue();  // Shutdown()

  DelayQueue(const DelayQueue&) = delete;
  DelayQueue& operator=(const DelayQueue&) = delete;

  void RunAt(absl::Time due, absl::AnyInvocable<void()> callback)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Runs every pending callback at once, and from then on runs callbacks at
  // once on the caller's thread; joins the timer thread. For server
  // shutdown: a reactor whose Finish still waited here would hold
  // grpc::Server::Shutdown forever. Idempotent.
  void Shutdown() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Entry {
    absl::Time due;
    uint64_t sequence;  // keeps equal due times in order of arrival
    absl::AnyInvocable<void()> callback;
  };

  void Loop();
  // Waits until callbacks are due (or shutdown), moves them into `ready`;
  // false once shut down with nothing left.
  bool TakeReady(std::vector<Entry>& ready) ABSL_LOCKS_EXCLUDED(mu_);

  absl::Mutex mu_;
  absl::CondVar wake_;
  std::vector<Entry> heap_
      ABSL_GUARDED_BY(mu_);  // std::push_heap order: earliest first
  uint64_t next_sequence_ ABSL_GUARDED_BY(mu_) = 0;
  bool shutting_down_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace ka_mock
