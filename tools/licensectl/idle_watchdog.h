// A deadline for a stream that has no end in sight: a progress stream
// follows a job for as long as the job runs (minutes or hours), so a
// deadline on the whole call cannot apply; but the server sends an event at
// least every second while it is alive, so a stream quiet for longer than
// --timeout is a hung server or a black-holed connection. The watchdog runs
// `on_idle` once (on its own thread) when Feed() has not been called for
// `limit`.
//
// Thread-safe: Feed() may be called from any thread. Destruction stops the
// watchdog and waits for an `on_idle` under way to return.
#pragma once

#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace licensectl {

class IdleWatchdog {
 public:
  IdleWatchdog(absl::Duration limit, std::function<void()> on_idle);
  ~IdleWatchdog();
  IdleWatchdog(const IdleWatchdog&) = delete;
  IdleWatchdog& operator=(const IdleWatchdog&) = delete;

  // Activity: the limit counts from now again.
  void Feed();

  // The limit passed without activity (and on_idle ran or is running).
  bool fired() const;

 private:
  void Loop();

  const absl::Duration limit_;
  std::function<void()> on_idle_;
  mutable absl::Mutex mu_;
  absl::Time last_activity_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool fired_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace licensectl
