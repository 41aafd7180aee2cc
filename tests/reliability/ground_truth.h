// What a scenario did, kept by the test itself, and the invariants that
// follow from it (issue 8): which licenses it changed at KA and how (so
// which mismatch kinds a clean sync must report, and that every other
// license is In Sync), which orders completed (each adopts KA's
// configuration, so its license is In Sync again with the key the order
// left), how many UpgradeKey calls KA must have received, and which key
// revision each key must be at. The comparisons only read what they are
// given; final_check.h fetches it. Thread-safe: clients of the mixed load
// record their orders concurrently.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "keyadmin/v1/key_administrator.pb.h"
#include "licensing/v1/license_service.pb.h"

namespace lss::reliability {

using MismatchKinds = std::set<licensing::v1::MismatchKind>;

// "KEY_CHANGED,CAPACITY_CHANGED" for messages; "none" when empty.
std::string KindsText(const MismatchKinds& kinds);

// PREFIX.NNNNNNNN.RRRR split into the key's identity and its revision; the
// revision is -1 when the number has no valid one.
struct KeyNumberParts {
  std::string base;
  int revision = -1;
};
KeyNumberParts SplitKeyNumber(const std::string& key_number);

class GroundTruth {
 public:
  // The licenses as imported: In Sync with KA, nothing changed yet.
  explicit GroundTruth(const std::vector<licensing::v1::License>& imported);

  // The test changed the license's key at KA: a clean sync must report
  // exactly `kinds` (merged with earlier changes). `revisions` counts the
  // key number bumps the change made (a regeneration); `deleted` that KA no
  // longer has the key.
  void ChangedAtKa(int64_t license_id, const MismatchKinds& kinds, int revisions, bool deleted);

  // An order completed for the license (PlaceUpgradeOrder answered
  // COMPLETED): billing now holds KA's configuration plus the order's
  // additions, so it is In Sync again whatever had drifted. `key_issued`:
  // KA issued a new key for it (one revision up); `ka_calls`: the
  // UpgradeKey calls KA must have received for it (0 for an adoption that
  // added nothing, 1, or 2 when the server died after KA's answer and the
  // retry got KA's first answer again under the same idempotency key).
  // `order_key`: the order's new_key_number; `license_key`: the key number
  // the license was left with. Orders recorded out of order (two callers'
  // answers crossing) resolve to the higher revision.
  void OrderCompleted(int64_t license_id, const std::string& upgrade_id, const std::string& order_key,
                      const std::string& license_key, bool key_issued, int ka_calls);

  // Licenses the truth may hand to an upgrade: KA can still issue a key for
  // them (not terminated, marked as a problem, deleted, or of another class
  // now, which an upgrade cannot adopt).
  bool Upgradable(int64_t license_id) const;

  int64_t licenses() const;
  MismatchKinds Expected(int64_t license_id) const;
  int64_t ExpectedNotInSync() const;
  int64_t ExpectedUpgradeKeyCalls() const;
  int64_t OrdersCompleted() const;
  int64_t LicensesChangedAtKa() const;

  // After a clean sync of every license: exactly the expected licenses Not
  // In Sync, each with exactly its expected mismatch kinds, every other In
  // Sync; upgraded ones on the key their last order left.
  ::testing::AssertionResult StatusesExact(const std::vector<licensing::v1::License>& listed) const;
  // Before any clean sync (results from before a change allowed): a
  // license that nothing changed, or whose change an order adopted, is In
  // Sync (on its order's key); a changed one is In Sync (not synced since
  // the change) or Not In Sync with exactly its kinds, never anything else:
  // a sync that read the license before an order and got KA's answer after
  // it must not leave its stale result behind.
  ::testing::AssertionResult StatusesPlausible(const std::vector<licensing::v1::License>& listed) const;
  // A job over every license that ended SUCCEEDED with
  // processed == in_sync + not_in_sync + errors + skipped == total == licenses.
  ::testing::AssertionResult JobCoveredEveryLicense(const licensing::v1::SyncProgress& progress) const;
  // The same, plus what a job with nothing in its way finds: no error, no
  // skip, exactly the expected Not In Sync count.
  ::testing::AssertionResult CleanJobMatches(const licensing::v1::SyncProgress& progress) const;
  // Every key at KA is at its initial revision plus the test's
  // regenerations plus the keys its orders issued; an upgraded key is the
  // one its last order reported.
  ::testing::AssertionResult KaKeysMatch(const std::vector<keyadmin::v1::Key>& ka_keys) const;
  // UpgradeKey calls counted by ka-mock since the baseline.
  ::testing::AssertionResult UpgradeKeyCallsMatch(int64_t counted) const;
  // Every completed order recorded here is COMPLETED in `sessions`, once,
  // with the key recorded; no other session is COMPLETED; none is left
  // PLACING.
  ::testing::AssertionResult OrdersMatch(const std::vector<licensing::v1::Upgrade>& sessions) const;

 private:
  struct LicenseTruth {
    std::string key_base;
    int initial_revision = -1;
    MismatchKinds drift;     // what a clean sync must report
    MismatchKinds changes;   // every change made at KA, adopted or not
    int test_revisions = 0;  // regenerations made at KA by the test
    bool deleted = false;
    int keys_issued = 0;
    std::string last_order_key;
  };
  struct Order {
    int64_t license_id = 0;
    std::string order_key;
  };

  const LicenseTruth* Find(int64_t license_id) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::map<int64_t, LicenseTruth> licenses_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Order> orders_ ABSL_GUARDED_BY(mu_);  // by upgrade_id
  int64_t upgrade_key_calls_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace lss::reliability
