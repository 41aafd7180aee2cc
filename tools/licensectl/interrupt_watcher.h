// Ctrl-C (SIGINT) as an event rather than the end of the process: while an
// InterruptWatcher lives, SIGINT runs its callback on the watcher's own
// thread, where anything may be done (a signal handler itself may call
// almost nothing: gRPC's TryCancel is not async-signal-safe). sync-all and
// watch use it to detach from a job, which keeps running on the server.
//
// A second SIGINT kills the process the default way, so that an operator
// whose first Ctrl-C seems to do nothing can always get out.
//
// One watcher at a time per process (the signal disposition is process-wide);
// create and destroy it on one thread. Destruction restores the previous
// SIGINT disposition and waits for a callback under way to return.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace licensectl {

class InterruptWatcher {
 public:
  explicit InterruptWatcher(std::function<void()> on_interrupt);
  ~InterruptWatcher();
  InterruptWatcher(const InterruptWatcher&) = delete;
  InterruptWatcher& operator=(const InterruptWatcher&) = delete;

  // SIGINT arrived (and the callback ran or is running).
  bool interrupted() const { return interrupted_.load(); }

 private:
  void Loop();

  std::function<void()> on_interrupt_;
  std::atomic<bool> interrupted_{false};
  // [0] read by the thread, [1] written by the handler and the destructor.
  int pipe_[2] = {-1, -1};
  std::thread thread_;
};

}  // namespace licensectl
