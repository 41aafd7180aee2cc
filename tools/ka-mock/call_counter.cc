#include "ka-mock/call_counter.h"

namespace ka_mock {

std::vector<std::pair<absl::string_view, int64_t>> CallCounter::Snapshot(
    bool reset) {
  std::vector<std::pair<absl::string_view, int64_t>> counts;
  for (size_t i = 0; i < counts_.size(); ++i) {
    const int64_t count =
        reset ? counts_[i].exchange(0, std::memory_order_relaxed)
              : counts_[i].load(std::memory_order_relaxed);
    if (count != 0) {
      counts.emplace_back(KaMethodName(static_cast<KaMethod>(i)), count);
    }
  }
  return counts;
}

}  // namespace ka_mock
