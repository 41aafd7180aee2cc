// The audit log's writer (DESIGN.md §4 "Security"): every call that changes
// something (auth/method_roles.h, ChangesState) leaves an event — who, what,
// which license, when and how it ended — whether it succeeded, failed or was
// refused.
//
// Writing never delays or fails the call it records: events are appended on
// the worker pool, and an event that cannot be written is reported on
// stderr. Thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/types/optional.h"
#include "common/caller_identity.h"
#include "common/clock.h"
#include "server/runtime/worker_pool.h"
#include "storage/audit_repository.h"

namespace lss {

// What a call was about, as far as its handler knows.
struct AuditedCall {
  // Every member has a default initializer, so that a call names only
  // what it knows.
  std::string method = {};                             // the RPC, e.g. "SyncLicense"
  absl::optional<int64_t> license_id = absl::nullopt;  // the license concerned
  std::string key_number = {};                         // its key number, when known
  std::string detail = {};  // what changed, e.g. "upgrade upg-...: PLSK.1.0001 -> PLSK.1.0002"
};

class AuditTrail {
 public:
  AuditTrail(AuditRepository& events, WorkerPool& pool, const Clock& clock)
      : events_(events), pool_(pool), clock_(clock) {}

  // `outcome` is the call's answer: its code becomes the event's outcome,
  // and for a failure its message the detail when the call gave none.
  void Record(const CallerIdentity& caller, AuditedCall call, const absl::Status& outcome);

 private:
  AuditRepository& events_;
  WorkerPool& pool_;
  const Clock& clock_;
};

}  // namespace lss
