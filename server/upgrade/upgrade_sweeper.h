// Keeps upgrade sessions honest without anyone calling: every `interval`
// (and at once on Start, so that a restarted server completes the orders a
// crash left placing) it takes over placements whose claim ran out and
// marks EXPIRED the sessions whose TTL ran out. Every replica runs one; the
// repository's conditional writes let one replica take each order.
//
// Start() starts its thread; Stop() (also on destruction) joins it.
#pragma once

#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/upgrade/order_placement.h"
#include "server/upgrade/upgrade_sessions.h"

namespace lss {

class UpgradeSweeper {
 public:
  UpgradeSweeper(UpgradeSessions& sessions, OrderPlacement& placement, absl::Duration interval)
      : sessions_(sessions), placement_(placement), interval_(interval) {}
  ~UpgradeSweeper() { Stop(); }

  void Start();
  void Stop();

  // One sweep; the thread calls it.
  void SweepOnce();

 private:
  UpgradeSessions& sessions_;
  OrderPlacement& placement_;
  const absl::Duration interval_;

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace lss
