#include "server/daily/daily_runner.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/caller_identity.h"
#include "common/status/error_details.h"

namespace lss {
namespace {

constexpr DailyRunPhaseKind kPhaseOrder[] = {DailyRunPhaseKind::kSync, DailyRunPhaseKind::kRenew,
                                             DailyRunPhaseKind::kExpire, DailyRunPhaseKind::kPrune};

// Errors after which this replica must not go on with the run: it was
// stopped, or another replica now owns the run.
bool EndsTheRun(const absl::Status& status) {
  return absl::IsCancelled(status) || ReasonOf(status) == kReasonDailyRunLeaseLost;
}

absl::string_view JobStateName(SyncJobState state) {
  switch (state) {
    case SyncJobState::kRunning:
      return "RUNNING";
    case SyncJobState::kSucceeded:
      return "SUCCEEDED";
    case SyncJobState::kCancelled:
      return "CANCELLED";
    case SyncJobState::kFailed:
      return "FAILED";
  }
  return "UNKNOWN";
}

DailyRunPhase Failed(DailyRunPhase phase, const absl::Status& status) {
  phase.state = DailyRunState::kFailed;
  phase.error = std::string(status.message());
  return phase;
}

void AddFailures(DailyRunPhase& phase, std::vector<DailyRunFailure> failures) {
  phase.failed += static_cast<int64_t>(failures.size());
  for (DailyRunFailure& failure : failures) {
    if (phase.failures.size() >= kMaxDailyRunFailures) break;
    phase.failures.push_back(std::move(failure));
  }
}

}  // namespace

DailyRunner::DailyRunner(DailyRunStores stores, SyncJobs& sync_jobs, KeyAdministrator& ka,
                         const Clock& clock, DailyRunOptions options)
    : stores_(stores),
      sync_jobs_(sync_jobs),
      clock_(clock),
      options_(options),
      renewer_(stores.licenses, ka, clock) {}

void DailyRunner::Stop() {
  absl::MutexLock lock(&mu_);
  stopping_ = true;
}

bool DailyRunner::Stopping() const {
  absl::MutexLock lock(&mu_);
  return stopping_;
}

absl::Status DailyRunner::Pause(absl::Duration d) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(&stopping_), d);
  if (stopping_) return absl::CancelledError("the server is stopping");
  return absl::OkStatus();
}

absl::Status DailyRunner::Save(const DailyRunRecord& claim, const DailyRunPhase& phase) {
  return stores_.runs.SavePhase(claim, phase, clock_.Now(), options_.lease);
}

absl::Status DailyRunner::Run(DailyRunRecord claim) {
  bool any_failed = false;
  for (DailyRunPhaseKind kind : kPhaseOrder) {
    if (Stopping()) return absl::CancelledError("the server is stopping");
    DailyRunPhase phase;
    auto saved = std::find_if(claim.phases.begin(), claim.phases.end(),
                              [kind](const DailyRunPhase& p) { return p.kind == kind; });
    if (saved != claim.phases.end()) {
      phase = *saved;
    } else {
      phase.kind = kind;
      phase.start_time = clock_.Now();
      if (absl::Status started = Save(claim, phase); !started.ok()) return started;
    }
    if (!phase.end_time.has_value()) {
      absl::StatusOr<DailyRunPhase> ended;
      switch (kind) {
        case DailyRunPhaseKind::kSync:
          ended = RunSync(claim, std::move(phase));
          break;
        case DailyRunPhaseKind::kRenew:
          ended = RunRenew(claim, std::move(phase));
          break;
        case DailyRunPhaseKind::kExpire:
          ended = RunExpire(std::move(phase));
          break;
        case DailyRunPhaseKind::kPrune:
          ended = RunPrune(std::move(phase));
          break;
      }
      if (!ended.ok()) return ended.status();
      phase = *std::move(ended);
      phase.end_time = clock_.Now();
      if (absl::Status saved_end = Save(claim, phase); !saved_end.ok()) return saved_end;
    }
    any_failed = any_failed || phase.state == DailyRunState::kFailed;
  }
  return stores_.runs.Finish(claim, any_failed ? DailyRunState::kFailed : DailyRunState::kSucceeded,
                             clock_.Now());
}

absl::StatusOr<DailyRunPhase> DailyRunner::RunSync(const DailyRunRecord& claim, DailyRunPhase phase) {
  if (phase.job_id.empty()) {
    absl::StatusOr<SyncJobRecord> job = StartSyncJob(claim);
    if (!job.ok()) {
      if (EndsTheRun(job.status())) return job.status();
      return Failed(std::move(phase), job.status());
    }
    phase.job_id = job->job_id;
    if (absl::Status saved = Save(claim, phase); !saved.ok()) return saved;
  }
  absl::StatusOr<SyncJobRecord> job = AwaitJob(claim, phase.job_id);
  if (!job.ok()) {
    if (EndsTheRun(job.status())) return job.status();
    return Failed(std::move(phase), job.status());
  }
  phase.processed = job->counts.processed;
  phase.succeeded = job->counts.in_sync + job->counts.not_in_sync;
  phase.failed = job->counts.errors;
  absl::StatusOr<std::vector<SyncHistoryEntry>> failures =
      stores_.licenses.ListJobFailures(phase.job_id, static_cast<int>(kMaxDailyRunFailures));
  if (failures.ok()) {
    phase.failures.clear();
    for (const SyncHistoryEntry& entry : *failures) {
      phase.failures.push_back({entry.license_id, entry.key_number, entry.error});
    }
  }
  if (job->state != SyncJobState::kSucceeded) {
    return Failed(std::move(phase),
                  absl::AbortedError(absl::StrCat("sync job ", job->job_id, " ended ",
                                                  JobStateName(job->state),
                                                  job->error.empty() ? "" : ": ", job->error)));
  }
  if (!failures.ok()) return Failed(std::move(phase), failures.status());
  phase.state = DailyRunState::kSucceeded;
  return phase;
}

absl::StatusOr<SyncJobRecord> DailyRunner::StartSyncJob(const DailyRunRecord& claim) {
  for (;;) {
    absl::StatusOr<SyncJobRecord> job = sync_jobs_.StartOrAttach(SystemCaller("daily-run"), {});
    if (job.ok() || ReasonOf(job.status()) != kReasonSyncJobRunning) return job;
    // An operator's SyncAll of another scope runs: the day's sync follows
    // it rather than failing.
    if (absl::Status kept = stores_.runs.RenewLease(claim, clock_.Now(), options_.lease);
        EndsTheRun(kept)) {
      return kept;
    }
    if (absl::Status paused = Pause(options_.poll_interval); !paused.ok()) return paused;
  }
}

absl::StatusOr<SyncJobRecord> DailyRunner::AwaitJob(const DailyRunRecord& claim,
                                                    const std::string& job_id) {
  for (;;) {
    absl::StatusOr<SyncJobRecord> job = stores_.jobs.Get(job_id);
    // The database going away for a while does not fail the day's sync:
    // the job itself survives it.
    if (!job.ok() && !absl::IsUnavailable(job.status())) return job;
    if (job.ok() && job->state != SyncJobState::kRunning) return job;
    if (absl::Status kept = stores_.runs.RenewLease(claim, clock_.Now(), options_.lease);
        EndsTheRun(kept)) {
      return kept;
    }
    if (absl::Status paused = Pause(options_.poll_interval); !paused.ok()) return paused;
  }
}

absl::StatusOr<DailyRunPhase> DailyRunner::RunRenew(const DailyRunRecord& claim,
                                                    DailyRunPhase phase) {
  // Due as of the phase's start, so that a license renewed (due again in a
  // year) or resumed after a takeover is never renewed twice by one run.
  int64_t after_id = 0;
  for (;;) {
    if (Stopping()) return absl::CancelledError("the server is stopping");
    absl::StatusOr<std::vector<LicenseRecord>> due =
        stores_.licenses.ListRenewalDue(phase.start_time, after_id, options_.renewal_page_size);
    if (!due.ok()) return Failed(std::move(phase), due.status());
    if (due->empty()) break;
    RenewalCounts counts = renewer_.Renew(*due);
    phase.processed += static_cast<int64_t>(due->size());
    phase.succeeded += counts.renewed;
    AddFailures(phase, std::move(counts.failures));
    after_id = due->back().license_id;
    if (absl::Status saved = Save(claim, phase); !saved.ok()) {
      if (EndsTheRun(saved)) return saved;
      return Failed(std::move(phase), saved);
    }
  }
  phase.state = DailyRunState::kSucceeded;
  return phase;
}

absl::StatusOr<DailyRunPhase> DailyRunner::RunExpire(DailyRunPhase phase) {
  absl::StatusOr<int64_t> expired = stores_.licenses.ExpirePastDue(phase.start_time);
  if (!expired.ok()) return Failed(std::move(phase), expired.status());
  phase.processed = phase.succeeded = *expired;
  phase.state = DailyRunState::kSucceeded;
  return phase;
}

absl::StatusOr<DailyRunPhase> DailyRunner::RunPrune(DailyRunPhase phase) {
  const absl::Time now = clock_.Now();
  std::vector<std::string> errors;
  auto count = [&](absl::string_view what, absl::StatusOr<int64_t> pruned) {
    if (pruned.ok()) {
      phase.processed += *pruned;
      phase.succeeded += *pruned;
    } else {
      errors.push_back(absl::StrCat(what, ": ", pruned.status().message()));
    }
  };
  // Each kind on its own: one failing does not keep the others.
  count("sync history", stores_.licenses.PruneHistoryBefore(now - options_.history_retention));
  count("audit events", stores_.audit.PruneBefore(now - options_.audit_retention));
  count("sync jobs", stores_.jobs.PruneEndedBefore(now - options_.job_retention));
  if (!errors.empty()) {
    return Failed(std::move(phase), absl::UnavailableError(absl::StrJoin(errors, "; ")));
  }
  phase.state = DailyRunState::kSucceeded;
  return phase;
}

}  // namespace lss
