#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "ka-mock/ka_method.h"

namespace ka_mock {

// Counts KeyAdministratorService calls per method as they arrive, failed
// and faulted ones included, so that tests can prove that a call reached KA
// exactly once.
//
// Thread-safe and lock-free: one relaxed atomic per method, so counting
// costs the hot path next to nothing.
class CallCounter {
 public:
  void Count(KaMethod method) {
    counts_[static_cast<size_t>(method)].fetch_add(1,
                                                   std::memory_order_relaxed);
  }

  // (method name, count) for each method called at least once. With
  // `reset` each counter is zeroed as it is read, so a call that arrives
  // meanwhile shows in this snapshot or the next, never in neither.
  std::vector<std::pair<absl::string_view, int64_t>> Snapshot(bool reset);

 private:
  std::array<std::atomic<int64_t>, kKaMethodCount> counts_{};
};

}  // namespace ka_mock
