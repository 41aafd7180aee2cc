#include "server/audit/refusal_tally.h"

#include <utility>

namespace lss {

bool RefusalTally::Count(RefusalKey key, const CallerIdentity& caller, absl::Time now) {
  auto it = windows_.find(key);
  if (it == windows_.end()) {
    if (windows_.size() >= max_keys_) {
      key.who.assign(1, '*');  // not = "*": GCC 12 warns falsely (-Wrestrict, its bug 105329)
      it = windows_.find(key);
    }
    if (it == windows_.end()) {
      // Even the overflow key, when it is new, opens a window: at most
      // max_keys + 1 keys, bounded memory.
      windows_.emplace(std::move(key), Window{now, RefusalSummary{}});
      return true;
    }
  }
  RefusalSummary& pending = it->second.pending;
  if (pending.count == 0) {
    pending.key = it->first;
    pending.first = now;
  }
  ++pending.count;
  pending.last = now;
  pending.last_caller = caller;
  return false;
}

std::vector<RefusalSummary> RefusalTally::TakeDue(absl::Time now) {
  std::vector<RefusalSummary> due;
  for (auto it = windows_.begin(); it != windows_.end();) {
    Window& window = it->second;
    if (now - window.opened < window_) {
      ++it;
      continue;
    }
    if (window.pending.count == 0) {
      windows_.erase(it++);
      continue;
    }
    due.push_back(std::move(window.pending));
    window = Window{now, RefusalSummary{}};
    ++it;
  }
  return due;
}

std::vector<RefusalSummary> RefusalTally::TakeAll() {
  std::vector<RefusalSummary> all;
  for (auto& [key, window] : windows_) {
    if (window.pending.count > 0) all.push_back(std::move(window.pending));
  }
  windows_.clear();
  return all;
}

}  // namespace lss
