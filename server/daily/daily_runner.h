// Runs one day's daily run (DESIGN.md §4), phase by phase:
//   SYNC    a SyncAll of every ACTIVE license (attached to when one runs,
//           waited for when a job with another scope runs);
//   RENEW   renewal at KA of the In Sync licenses whose renewal is due,
//           KA's new dates stored with each;
//   EXPIRE  licenses past their expiration become EXPIRED (a Not In Sync
//           license was not renewed, so it ends here);
//   PRUNE   sync history, audit events and finished jobs older than their
//           retention are removed.
// A failed license is recorded and retried by the next run, never blocking
// the others; a phase that fails as a whole is recorded FAILED and the run
// goes on to the next phase, then ends FAILED.
//
// Each phase is saved as it goes (renewing the run's lease), so a replica
// that takes a dead one's run over resumes at the first phase not ended.
//
// Blocking: Run() returns when the run ended, or was stopped, or its lease
// was lost. Stop() may be called from any thread.
#pragma once

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "client/key_administrator.h"
#include "common/clock.h"
#include "server/daily/license_renewer.h"
#include "server/jobs/sync_jobs.h"
#include "storage/audit_repository.h"
#include "storage/daily_run_repository.h"
#include "storage/license_repository.h"
#include "storage/sync_job_repository.h"

namespace lss {

struct DailyRunOptions {
  absl::Duration lease = absl::Seconds(30);          // the run's lease; renewed at each step
  absl::Duration poll_interval = absl::Seconds(1);   // how often SYNC looks at its job
  absl::Duration history_retention = absl::Hours(24 * 90);
  absl::Duration audit_retention = absl::Hours(24 * 365);
  absl::Duration job_retention = absl::Hours(24 * 30);
  int renewal_page_size = 200;  // licenses renewed at once, then checkpointed
};

// The repositories a daily run touches.
struct DailyRunStores {
  DailyRunRepository& runs;
  LicenseRepository& licenses;
  SyncJobRepository& jobs;
  AuditRepository& audit;
};

class DailyRunner {
 public:
  DailyRunner(DailyRunStores stores, SyncJobs& sync_jobs, KeyAdministrator& ka, const Clock& clock,
              DailyRunOptions options);

  // Runs the phases of `claim` that have not ended, then finishes it.
  // CANCELLED when stopped (the run stays RUNNING for another replica or a
  // restart to resume once its lease expires); FAILED_PRECONDITION
  // (DAILY_RUN_LEASE_LOST) when another replica took it over.
  absl::Status Run(DailyRunRecord claim);

  void Stop();

 private:
  // Runs one phase from `phase` (new, or as a dead replica left it) to its
  // end; the phase is saved on the way. Returns the ended phase, or an error
  // that ends the run (stopped, lease lost).
  absl::StatusOr<DailyRunPhase> RunSync(const DailyRunRecord& claim, DailyRunPhase phase);
  absl::StatusOr<DailyRunPhase> RunRenew(const DailyRunRecord& claim, DailyRunPhase phase);
  absl::StatusOr<DailyRunPhase> RunExpire(DailyRunPhase phase);
  absl::StatusOr<DailyRunPhase> RunPrune(DailyRunPhase phase);

  // The SyncAll job of the day: started, or attached to; waits while a job
  // with another scope runs.
  absl::StatusOr<SyncJobRecord> StartSyncJob(const DailyRunRecord& claim);
  // Waits for `job_id` to end, keeping the lease.
  absl::StatusOr<SyncJobRecord> AwaitJob(const DailyRunRecord& claim, const std::string& job_id);

  absl::Status Save(const DailyRunRecord& claim, const DailyRunPhase& phase);
  // Sleeps up to `d`; CANCELLED when stopped meanwhile.
  absl::Status Pause(absl::Duration d);
  bool Stopping() const;

  DailyRunStores stores_;
  SyncJobs& sync_jobs_;
  const Clock& clock_;
  const DailyRunOptions options_;
  LicenseRenewer renewer_;

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace lss
