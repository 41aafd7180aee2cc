// Where the audit log lives: appended to by the handlers of the RPCs that
// sync or upgrade, read by ListAuditEvents (admin role), pruned by the
// daily run after the retention age.
//
// Thread-safe: every method may be called from any thread at once (each
// takes its own pooled connection). Methods block on the database: call
// them from worker threads, never from a gRPC reactor. Errors as in
// license_repository.h (UNAVAILABLE with DATABASE_UNAVAILABLE, DATABASE_ERROR
// otherwise), plus INVALID_ARGUMENT naming the field, nothing written, for
// values the schema cannot hold: actor, target or request_id over 255
// bytes, actor_role over 32, method over 128 (or empty), outcome over 64,
// detail over 65,535; a limit below 1.
#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "storage/audit_model.h"

namespace lss {

class AuditRepository {
 public:
  virtual ~AuditRepository() = default;

  // Stores `event` (its event_id is ignored) and returns it as a later List
  // reads it: with its new event_id and its time truncated to the
  // microsecond.
  virtual absl::StatusOr<AuditEvent> Append(const AuditEvent& event) = 0;

  // Up to `limit` events matching `filter` with event_id < before_event_id
  // (0: from the newest), newest first: keyset paging, stable while events
  // are appended.
  virtual absl::StatusOr<std::vector<AuditEvent>> List(const AuditFilter& filter,
                                                       int64_t before_event_id, int limit) = 0;

  // Removes the events that occurred before `cutoff` and returns how many.
  // Deletes in bounded batches, each committed on its own, so that pruning a
  // year of events never holds one huge transaction: if it fails midway,
  // the batches before stay removed and a rerun removes the rest.
  virtual absl::StatusOr<int64_t> PruneBefore(absl::Time cutoff) = 0;
};

}  // namespace lss
