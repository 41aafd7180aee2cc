// Syncs one license now (the SyncLicense RPC): reads billing's record, asks
// KA for the key, compares them and records the result and a history entry.
// Never rewrites billing's configuration. When KA cannot answer, the attempt
// is recorded as last_sync_error and the caller gets the error; the stored
// sync status stays as it was.
//
// Thread-safe; Sync() returns at once and never blocks the calling thread:
// database work runs on the WorkerPool, KA calls are asynchronous.
#pragma once

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "client/key_administrator.h"
#include "common/clock.h"
#include "server/licenses/license_ref.h"
#include "server/runtime/worker_pool.h"
#include "storage/license_repository.h"

namespace lss {

struct SyncReport {
  LicenseRecord license;   // after the sync
  SyncHistoryEntry entry;  // what was recorded in the history
};

class LicenseSyncer {
 public:
  using Done = absl::AnyInvocable<void(absl::StatusOr<SyncReport>) &&>;

  LicenseSyncer(LicenseRepository& licenses, KeyAdministrator& ka, WorkerPool& pool, const Clock& clock)
      : licenses_(licenses), ka_(ka), pool_(pool), clock_(clock) {}

  // `done` runs exactly once, on a pool thread. FAILED_PRECONDITION
  // (UPGRADE_ORDER_PLACING) while an upgrade order is being placed for the
  // license; KA's errors as client/key_administrator.h lists them, except
  // 220, 221 and 222, which are results. A license that changes while KA
  // is asked (an upgrade order completing) is synced again from the start,
  // up to kMaxAttempts times in all, then ABORTED
  // (LICENSE_CHANGED_DURING_SYNC): a result is only recorded on the
  // configuration it was compared with. When KA failed, the failure is
  // recorded on the license (last_sync_error) and the caller gets KA's
  // error, even when recording it failed too (that is logged as
  // "sync_failure_not_recorded").
  void Sync(const LicenseRef& ref, Done done);

  static constexpr int kMaxAttempts = 3;

 private:
  void Attempt(const LicenseRef& ref, int attempt, Done done);
  absl::StatusOr<SyncReport> Compare(LicenseRecord license, absl::StatusOr<KaKey> ka_key);

  LicenseRepository& licenses_;
  KeyAdministrator& ka_;
  WorkerPool& pool_;
  const Clock& clock_;
};

}  // namespace lss
