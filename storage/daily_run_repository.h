// Where daily runs live, shared by every replica so that a day is run once
// however many replicas are up: the first to claim a day runs it, under a
// lease it renews; when it dies, another takes the run over after the lease
// expires and resumes at the first phase not ended. As for SyncAll jobs,
// conditional updates whose affected-row count decides are the only
// arbiter (DESIGN.md §2).
//
// Thread-safe; blocking. Errors as in license_repository.h, plus NOT_FOUND
// (DAILY_RUN_NOT_FOUND) for an unknown day, FAILED_PRECONDITION
// (DAILY_RUN_LEASE_LOST) when the caller's claim is no longer the run's,
// and INVALID_ARGUMENT naming the field for values the schema cannot hold.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "storage/daily_run_model.h"

namespace lss {

inline constexpr absl::string_view kReasonDailyRunNotFound = "DAILY_RUN_NOT_FOUND";
inline constexpr absl::string_view kReasonDailyRunLeaseLost = "DAILY_RUN_LEASE_LOST";

class DailyRunRepository {
 public:
  virtual ~DailyRunRepository() = default;

  // Claims the run of `run_date` for `owner` until `now + lease`: creates it
  // (RUNNING, id `new_run_id`) when the day has none, or takes over a
  // RUNNING one whose lease expired. Unset when the day's run has ended or
  // another replica holds it. The returned `attempts` identifies the claim.
  virtual absl::StatusOr<absl::optional<DailyRunRecord>> Claim(absl::string_view run_date,
                                                               absl::string_view new_run_id,
                                                               absl::string_view owner, absl::Time now,
                                                               absl::Duration lease) = 0;

  // Stores `phase` (replacing the run's phase of that kind) and extends the
  // claim's lease, in one transaction; only while the claim holds.
  virtual absl::Status SavePhase(const DailyRunRecord& claim, const DailyRunPhase& phase,
                                 absl::Time now, absl::Duration lease) = 0;

  // Extends the claim's lease.
  virtual absl::Status RenewLease(const DailyRunRecord& claim, absl::Time now,
                                  absl::Duration lease) = 0;

  // Ends the run in `state` (SUCCEEDED or FAILED).
  virtual absl::Status Finish(const DailyRunRecord& claim, DailyRunState state, absl::Time now) = 0;

  virtual absl::StatusOr<DailyRunRecord> Get(absl::string_view run_date) = 0;

  // Newest first: up to `limit` runs of days before `before_run_date`
  // (empty: from the newest).
  virtual absl::StatusOr<std::vector<DailyRunRecord>> List(absl::string_view before_run_date,
                                                           int limit) = 0;
};

}  // namespace lss
