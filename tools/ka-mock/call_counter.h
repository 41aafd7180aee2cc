#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "ka-mock/ka_method.h"

namespace ka_mock {

// Counts KeyAdministratorService calls per method as they arrive, failed
// and faulted ones included, so that tests can prove that a call reached KA
// exactly once.
//
// Thread-safe. Counting is lock-free: one relaxed atomic per method, so it
// costs the hot path next to nothing; keeping request ids takes a lock.
class CallCounter {
 public:
  void Count(KaMethod method) {
    counts_[static_cast<size_t>(method)].fetch_add(1,
                                                   std::memory_order_relaxed);
  }

  // Keeps the request id a call carried (the latest kMaxRequestIds).
  void SawRequestId(KaMethod method, absl::string_view request_id);

  // (method name, request id), oldest first; `reset` clears them.
  std::vector<std::pair<absl::string_view, std::string>> RequestIds(bool reset);

  static constexpr size_t kMaxRequestIds = 1000;

  // (method name, count) for each method called at least once. With
  // `reset` each counter is zeroed as it is read, so a call that arrives
  // meanwhile shows in this snapshot or the next, never in neither.
  std::vector<std::pair<absl::string_view, int64_t>> Snapshot(bool reset);

 private:
  std::array<std::atomic<int64_t>, kKaMethodCount> counts_{};
  absl::Mutex mu_;
  std::deque<std::pair<KaMethod, std::string>> request_ids_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ka_mock
