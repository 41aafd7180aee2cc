// Where upgrade sessions and their orders live, shared by every replica.
//
// Every write is conditional on the session's row_version as the caller read
// it (and bumps it), so that of two concurrent steps, two clients placing
// the same order or two replicas recovering it, exactly one applies; the
// others get ABORTED (UPGRADE_CHANGED) and read the session again. Placing
// an order also flags the license (LicenseRecord::order_placing) in the same
// transaction, so that no sync, renewal or other order touches it until the
// order completes or is abandoned.
//
// Thread-safe; blocking. Errors as in license_repository.h, plus NOT_FOUND
// (UPGRADE_NOT_FOUND) for an unknown session and INVALID_ARGUMENT naming the
// field for values the schema cannot hold.
#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "storage/license_model.h"
#include "storage/upgrade_model.h"

namespace lss {

inline constexpr absl::string_view kReasonUpgradeNotFound = "UPGRADE_NOT_FOUND";
inline constexpr absl::string_view kReasonUpgradeAlreadyExists = "UPGRADE_ALREADY_EXISTS";
// Another step (or replica) changed the session since the caller read it.
inline constexpr absl::string_view kReasonUpgradeChanged = "UPGRADE_CHANGED";
// The license changed since the session started (its etag moved).
inline constexpr absl::string_view kReasonUpgradeLicenseChanged = "UPGRADE_LICENSE_CHANGED";

// A completed order and the license it rewrote.
struct CompletedUpgrade {
  UpgradeRecord upgrade;
  LicenseRecord license;
};

class UpgradeRepository {
 public:
  virtual ~UpgradeRepository() = default;

  // Stores a new session; assigns seq and row_version. ALREADY_EXISTS
  // (UPGRADE_ALREADY_EXISTS) when the upgrade_id is taken; NOT_FOUND
  // (LICENSE_NOT_FOUND) for an unknown license.
  virtual absl::StatusOr<UpgradeRecord> Create(const UpgradeRecord& upgrade) = 0;

  virtual absl::StatusOr<UpgradeRecord> Get(absl::string_view upgrade_id) = 0;

  // Newest first: up to `limit` sessions matching `filter` with
  // seq < before_seq (0: from the newest).
  virtual absl::StatusOr<std::vector<UpgradeRecord>> List(const UpgradeFilter& filter, int64_t before_seq,
                                                          int limit) = 0;

  // Writes `next`'s state, target, price, order, update_time and expire_time
  // if the stored row_version is still next.row_version. For the steps that
  // touch only the session (configure, price, cancel, expire).
  virtual absl::StatusOr<UpgradeRecord> Update(const UpgradeRecord& next) = 0;

  // Starts placing the order, atomically: the session becomes `next`
  // (PLACING, with its order and placing claim) if its row_version is still
  // next.row_version, and the license is flagged order_placing if it is
  // still ACTIVE, unflagged and at version next.license_version.
  // ABORTED (UPGRADE_LICENSE_CHANGED) when the license's version moved;
  // FAILED_PRECONDITION (UPGRADE_ORDER_PLACING) when another order is being
  // placed for it; FAILED_PRECONDITION (LICENSE_NOT_ACTIVE) when it is
  // EXPIRED or TERMINATED. Nothing is written on any error.
  virtual absl::StatusOr<UpgradeRecord> BeginPlacing(const UpgradeRecord& next) = 0;

  // Takes over the placement of a PLACING session whose claim expired
  // before `now` (its replica died), for `owner` until `now + lease`. Unset
  // when the claim still holds, the session left PLACING, or another
  // replica took it first.
  virtual absl::StatusOr<absl::optional<UpgradeRecord>> ClaimPlacing(absl::string_view upgrade_id,
                                                                     absl::string_view owner, absl::Time now,
                                                                     absl::Duration lease) = 0;

  // Up to `limit` PLACING sessions whose claim expired before `now`, oldest
  // first.
  virtual absl::StatusOr<std::vector<UpgradeRecord>> ListAbandonedPlacements(absl::Time now, int limit) = 0;

  // Completes the order, atomically and only while next.row_version holds:
  // the session becomes `next` (COMPLETED, its order with the new key
  // number), and the license gets `config` and `sync` (its sync time `now`,
  // no sync error), its version bumped and its order_placing flag cleared.
  virtual absl::StatusOr<CompletedUpgrade> CompleteOrder(const UpgradeRecord& next, const LicenseConfig& config,
                                                         const SyncResult& sync, absl::Time now) = 0;

  // Gives the placement up, atomically and only while next.row_version
  // holds: the session becomes `next` (PRICED again, to be retried, or
  // FAILED, with order->error) and the license's order_placing flag is
  // cleared; its configuration and version stay as they were.
  virtual absl::StatusOr<UpgradeRecord> AbandonPlacing(const UpgradeRecord& next) = 0;

  // Marks EXPIRED every STARTED, CONFIGURED or PRICED session whose
  // expire_time is at or before `now`; returns how many.
  virtual absl::StatusOr<int64_t> ExpireDue(absl::Time now) = 0;
};

}  // namespace lss
