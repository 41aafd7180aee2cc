// Counts refused calls (no or a bad token, a role too low, an overloaded
// server) so that a flood of them leaves a bounded number of audit events
// instead of one insert per call (issue 15): per (who, method, outcome,
// reason), the first refusal is recorded at once, the ones that follow are
// only counted, and when `window` has passed since the first their count
// becomes one event. A key whose window ends with nothing counted is
// forgotten, so its next refusal is again recorded at once.
//
// "Who" is the caller's token name, or the peer's address without its port
// for a caller without one (CallerKey), so that a flood over many
// connections from one host is one key. At most `max_keys` keys are kept;
// refusals of further keys are counted under who = "*".
//
// Pure: the caller passes the time. Not thread-safe (AuditTrail locks it).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "common/caller_identity.h"

namespace lss {

struct RefusalKey {
  std::string who;
  std::string method;
  std::string outcome;  // the code's name, e.g. "UNAUTHENTICATED"
  std::string reason;   // the ErrorInfo reason

  bool operator==(const RefusalKey&) const = default;
  template <typename H>
  friend H AbslHashValue(H h, const RefusalKey& key) {
    return H::combine(std::move(h), key.who, key.method, key.outcome, key.reason);
  }
};

// Refusals counted after a window's first, to be recorded as one event.
struct RefusalSummary {
  RefusalKey key;
  int64_t count = 0;
  absl::Time first = absl::InfinitePast();  // the first refusal counted
  absl::Time last = absl::InfinitePast();   // the last one
  CallerIdentity last_caller;               // who made the last one (its request id, peer)
};

class RefusalTally {
 public:
  RefusalTally(absl::Duration window, size_t max_keys) : window_(window), max_keys_(max_keys) {}

  // Counts a refusal of `caller` at `now`. True when it opens its key's
  // window: it is to be recorded now, on its own.
  bool Count(RefusalKey key, const CallerIdentity& caller, absl::Time now);

  // The windows over by `now` that counted refusals after their first; each
  // starts a new window at `now`. Windows over with nothing counted close.
  std::vector<RefusalSummary> TakeDue(absl::Time now);

  // Every count not yet taken, whatever its window (at shutdown).
  std::vector<RefusalSummary> TakeAll();

  size_t keys() const { return windows_.size(); }

 private:
  struct Window {
    absl::Time opened;
    RefusalSummary pending;  // count 0: nothing since the first
  };

  const absl::Duration window_;
  const size_t max_keys_;
  absl::flat_hash_map<RefusalKey, Window> windows_;
};

}  // namespace lss
