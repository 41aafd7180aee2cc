// The audit log's writer (DESIGN.md §4 "Security"): every call that changes
// something (auth/method_roles.h, ChangesState) leaves an event — who, what,
// which license, when and how it ended — whether it succeeded, failed or was
// refused.
//
// Writing never delays or fails the call it records: events are appended on
// the worker pool, and an event that cannot be written is reported in the
// log. A field longer than its column is cut on a UTF-8 boundary, never
// refused, so no event is lost to a long key number or token name.
//
// Refused calls are counted, not written one by one (RefusalTally): a flood
// of calls without a token costs a few events, not one insert per call. A
// thread of its own writes the counts as their windows end; destruction
// writes what is still counted. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "common/caller_identity.h"
#include "common/clock.h"
#include "server/audit/refusal_tally.h"
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

struct AuditOptions {
  // Refusals of one caller, method and reason within this long after the
  // first become one event with their count.
  absl::Duration refusal_window = absl::Minutes(1);
  // Callers counted apart; beyond, they are counted as one ("*").
  size_t max_refusal_keys = 10000;
};

class AuditTrail {
 public:
  AuditTrail(AuditRepository& events, WorkerPool& pool, const Clock& clock, AuditOptions options = {});
  ~AuditTrail();
  AuditTrail(const AuditTrail&) = delete;
  AuditTrail& operator=(const AuditTrail&) = delete;

  // `outcome` is the call's answer: its code becomes the event's outcome,
  // and for a failure its message the detail when the call gave none.
  void Record(const CallerIdentity& caller, AuditedCall call, const absl::Status& outcome);

  // A call to `method` refused before it ran (`refusal`: UNAUTHENTICATED,
  // PERMISSION_DENIED, RESOURCE_EXHAUSTED): written at once when it is its
  // key's first in a window, otherwise counted.
  void RecordRefusal(const CallerIdentity& caller, absl::string_view method, const absl::Status& refusal);

 private:
  void Write(AuditEvent event);
  void WriteSummary(const RefusalSummary& summary);
  void FlushLoop();

  AuditRepository& events_;
  WorkerPool& pool_;
  const Clock& clock_;
  const AuditOptions options_;

  absl::Mutex mu_;
  RefusalTally refusals_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread flusher_;  // last: starts once the members above exist
};

}  // namespace lss
