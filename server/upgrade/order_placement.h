// PlaceUpgradeOrder: the upgrade reaches KA exactly once per session
// (DESIGN.md §4, "Upgrade is durable and idempotent").
//
// How: the session is recorded PLACING (and its license flagged, so that
// nothing syncs or renews it) before KA is called, under a claim held by
// this replica until `lease` runs out; KA gets the idempotency key
// "upgrade:<upgrade_id>", so every call about the session returns KA's
// first answer; completion is written, with the license's new
// configuration, in one transaction that holds only while the claim does.
// So:
// - placing a COMPLETED session again, with any request_id, returns its
//   result without calling KA;
// - a second caller while the order is PLACING (another client, another
//   replica) waits for it and returns the same result; if the claim runs out
//   meanwhile (its replica died), the waiter takes the order over;
// - orders left PLACING by a crash are taken over by RecoverAbandoned
//   (UpgradeSweeper runs it at start and then periodically) once their claim
//   has run out: KA answers the repeated key with the key it issued before.
// - KA refusing the upgrade (260, 266, a terminated key) ends the session
//   FAILED; KA unreachable returns it to PRICED, the license unchanged, to
//   be placed again.
//
// Thread-safe. Place answers through `done` on a WorkerPool thread.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "client/key_administrator.h"
#include "server/runtime/worker_pool.h"
#include "server/upgrade/upgrade_sessions.h"

namespace lss {

struct OrderPlacementOptions {
  std::string replica_id;  // names this replica's placing claims
  absl::Duration lease = absl::Seconds(30);
  // How long a second caller waits for a placement under way before it
  // gives up with FAILED_PRECONDITION (UPGRADE_ORDER_PLACING).
  absl::Duration join_timeout = absl::Seconds(60);
  // Testing only (--testing_crash_after_ka_upgrade): the process kills itself
  // with SIGKILL when KA's upgrade answer arrives, before anything is
  // written, to prove that a restart completes the order with the one key.
  bool crash_after_ka_upgrade = false;
};

using PlacedCallback = absl::AnyInvocable<void(absl::StatusOr<CompletedUpgrade>) &&>;

class OrderPlacement {
 public:
  OrderPlacement(UpgradeSessions& sessions, KeyAdministrator& ka, WorkerPool& pool, OrderPlacementOptions options);
  ~OrderPlacement();

  // `request_id` (AIP-155) is recorded with the order; any request_id places
  // a session's order once.
  void Place(absl::string_view upgrade_id, std::string request_id, PlacedCallback done);

  // Takes over every placement whose claim ran out and carries it to its
  // end in the background; returns how many it took. Blocking.
  absl::StatusOr<int> RecoverAbandoned();

 private:
  void PlaceOnPool(const std::string& upgrade_id, const std::string& request_id, PlacedCallback done);
  // Waits (on its own threads, never the shared pool's) for another
  // placement of the session to end, taking it over if its claim runs out.
  void Join(std::string upgrade_id, PlacedCallback done);
  // Calls KA for a PLACING session this replica claims, then completes it.
  void Carry(UpgradeRecord placing, PlacedCallback done);
  void Finish(UpgradeRecord placing, absl::StatusOr<KaUpgradeResult> answer, PlacedCallback done);
  absl::StatusOr<CompletedUpgrade> Complete(UpgradeRecord placing, const LicenseConfig& config,
                                            const SyncResult& against_ka);
  void Abandon(UpgradeRecord placing, const absl::Status& error, PlacedCallback done);
  // The result of a COMPLETED session: it and its license as they are now.
  absl::StatusOr<CompletedUpgrade> ResultOf(UpgradeRecord completed);

  UpgradeSessions& sessions_;
  KeyAdministrator& ka_;
  WorkerPool& pool_;
  const OrderPlacementOptions options_;
  std::atomic<bool> stopping_{false};
  std::unique_ptr<WorkerPool> joins_;
};

}  // namespace lss
