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

void CallCounter::SawRequestId(KaMethod method, absl::string_view request_id) {
  absl::MutexLock lock(&mu_);
  if (request_ids_.size() == kMaxRequestIds) request_ids_.pop_front();
  request_ids_.emplace_back(method, std::string(request_id));
}

std::vector<std::pair<absl::string_view, std::string>> CallCounter::RequestIds(bool reset) {
  absl::MutexLock lock(&mu_);
  std::vector<std::pair<absl::string_view, std::string>> seen;
  seen.reserve(request_ids_.size());
  for (const auto& [method, id] : request_ids_) seen.emplace_back(KaMethodName(method), id);
  if (reset) request_ids_.clear();
  return seen;
}

}  // namespace ka_mock
