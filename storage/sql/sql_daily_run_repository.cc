#include "storage/sql/sql_daily_run_repository.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"
#include "soci/soci.h"
#include "storage/sql/daily_run_rows.h"
#include "storage/sql/field_checks.h"
#include "storage/sql/sql_statement.h"
#include "storage/sql/stored_time.h"

namespace lss::storage {
namespace {

constexpr int kRunning = static_cast<int>(DailyRunState::kRunning);
constexpr size_t kRunDateLength = 10;  // YYYY-MM-DD

absl::Status CheckRunDate(absl::string_view run_date) {
  if (run_date.size() != kRunDateLength || run_date[4] != '-' || run_date[7] != '-') {
    return InvalidArgumentError("run_date", absl::StrCat("run_date \"", run_date,
                                                         "\" is not a day as YYYY-MM-DD"));
  }
  return absl::OkStatus();
}

absl::Status CheckLease(absl::Duration lease) {
  if (lease < absl::Microseconds(1)) {
    return InvalidArgumentError("lease", "a daily run's lease must be positive");
  }
  return absl::OkStatus();
}

absl::Status RunNotFound(absl::string_view run_date) {
  return WithReason(absl::NotFoundError(absl::StrCat("no daily run for ", run_date)),
                    kReasonDailyRunNotFound);
}

absl::Status LeaseLost(const DailyRunRecord& claim) {
  return WithReason(absl::FailedPreconditionError(absl::StrCat(
                        "the daily run of ", claim.run_date, " is no longer held by ", claim.owner,
                        " under claim ", claim.attempts,
                        ": its lease expired and another replica took it over, or it ended")),
                    kReasonDailyRunLeaseLost);
}

// Extends the claim's lease; 1 when the claim still holds, 0 otherwise.
long long ExtendLease(soci::session& session, const DailyRunRecord& claim, absl::Time now,
                      absl::Duration lease) {
  return ExecuteSql(session,
                    "UPDATE daily_runs SET lease_expires_at = :lease_expires_at "
                    "WHERE run_date = :run_date AND owner = :owner AND attempts = :attempts "
                    "AND state = :running",
                    SqlParams()
                        .Int(ToStoredMicros(now + lease))
                        .Text(claim.run_date)
                        .Text(claim.owner)
                        .Int(claim.attempts)
                        .Int(kRunning));
}

absl::StatusOr<absl::optional<DailyRunRecord>> LoadRun(soci::session& session,
                                                       absl::string_view run_date) {
  absl::StatusOr<std::vector<DailyRunRecord>> runs =
      QueryDailyRuns(session, "WHERE run_date = :run_date", SqlParams().Text(std::string(run_date)));
  if (!runs.ok()) return runs.status();
  if (runs->empty()) return absl::optional<DailyRunRecord>();
  return absl::optional<DailyRunRecord>(std::move(runs->front()));
}

}  // namespace

absl::StatusOr<absl::optional<DailyRunRecord>> SqlDailyRunRepository::Claim(
    absl::string_view run_date, absl::string_view new_run_id, absl::string_view owner,
    absl::Time now, absl::Duration lease) {
  absl::Status valid = CheckRunDate(run_date);
  if (valid.ok()) valid = CheckLength("run_id", new_run_id, kMaxJobIdLength);
  if (valid.ok()) valid = CheckLength("owner", owner, kMaxOwnerLength);
  if (valid.ok()) valid = CheckLease(lease);
  if (!valid.ok()) return valid;
  const long long now_micros = ToStoredMicros(now);
  const long long lease_expires_at = ToStoredMicros(now + lease);

  // No transaction: each statement decides on its own by its affected-row
  // count, whatever other replicas do in between.
  return runner_.Run(
      "claim daily run",
      [&](soci::session& session) -> absl::StatusOr<absl::optional<DailyRunRecord>> {
        long long claimed = ExecuteSql(
            session,
            absl::StrCat(runner_.dialect().InsertIgnore(),
                         " INTO daily_runs (run_date, run_id, state, owner, lease_expires_at, "
                         "attempts, started_at, ended_at) VALUES (:run_date, :run_id, :state, "
                         ":owner, :lease_expires_at, 1, :started_at, NULL)"),
            SqlParams()
                .Text(std::string(run_date))
                .Text(std::string(new_run_id))
                .Int(kRunning)
                .Text(std::string(owner))
                .Int(lease_expires_at)
                .Int(now_micros));
        if (claimed == 0) {
          // The day has a run: take it over if its replica let the lease
          // lapse (died, or stopped).
          claimed = ExecuteSql(
              session,
              "UPDATE daily_runs SET owner = :owner, lease_expires_at = :lease_expires_at, "
              "attempts = attempts + 1 WHERE run_date = :run_date AND state = :running "
              "AND lease_expires_at < :now",
              SqlParams()
                  .Text(std::string(owner))
                  .Int(lease_expires_at)
                  .Text(std::string(run_date))
                  .Int(kRunning)
                  .Int(now_micros));
        }
        if (claimed == 0) return absl::optional<DailyRunRecord>();
        absl::StatusOr<absl::optional<DailyRunRecord>> run = LoadRun(session, run_date);
        if (!run.ok()) return run.status();
        // Between the claim and this read another replica may have taken the
        // run over after an absurdly short lease: then it is not ours.
        if (!run->has_value() || (*run)->owner != owner) return absl::optional<DailyRunRecord>();
        return run;
      });
}

absl::Status SqlDailyRunRepository::SavePhase(const DailyRunRecord& claim,
                                              const DailyRunPhase& phase, absl::Time now,
                                              absl::Duration lease) {
  absl::Status valid = CheckLength("job_id", phase.job_id, kMaxJobIdLength);
  if (valid.ok()) valid = CheckLease(lease);
  if (!valid.ok()) return valid;
  return runner_.RunInTransaction("save daily run phase", [&](soci::session& session) {
    if (ExtendLease(session, claim, now, lease) != 1) return LeaseLost(claim);
    WritePhase(session, claim.run_date, phase);
    return absl::OkStatus();
  });
}

absl::Status SqlDailyRunRepository::RenewLease(const DailyRunRecord& claim, absl::Time now,
                                               absl::Duration lease) {
  absl::Status valid = CheckLease(lease);
  if (!valid.ok()) return valid;
  return runner_.Run("renew daily run lease", [&](soci::session& session) {
    if (ExtendLease(session, claim, now, lease) != 1) return LeaseLost(claim);
    return absl::OkStatus();
  });
}

absl::Status SqlDailyRunRepository::Finish(const DailyRunRecord& claim, DailyRunState state,
                                           absl::Time now) {
  if (state == DailyRunState::kRunning) {
    return InvalidArgumentError("state", "a daily run finishes SUCCEEDED or FAILED");
  }
  return runner_.Run("finish daily run", [&](soci::session& session) {
    const long long ended = ExecuteSql(
        session,
        "UPDATE daily_runs SET state = :state, ended_at = :ended_at, lease_expires_at = 0 "
        "WHERE run_date = :run_date AND owner = :owner AND attempts = :attempts "
        "AND state = :running",
        SqlParams()
            .Int(static_cast<int>(state))
            .Int(ToStoredMicros(now))
            .Text(claim.run_date)
            .Text(claim.owner)
            .Int(claim.attempts)
            .Int(kRunning));
    if (ended != 1) return LeaseLost(claim);
    return absl::OkStatus();
  });
}

absl::StatusOr<DailyRunRecord> SqlDailyRunRepository::Get(absl::string_view run_date) {
  absl::Status valid = CheckRunDate(run_date);
  if (!valid.ok()) return valid;
  return runner_.Run("get daily run", [&](soci::session& session) -> absl::StatusOr<DailyRunRecord> {
    absl::StatusOr<absl::optional<DailyRunRecord>> run = LoadRun(session, run_date);
    if (!run.ok()) return run.status();
    if (!run->has_value()) return RunNotFound(run_date);
    return **std::move(run);
  });
}

absl::StatusOr<std::vector<DailyRunRecord>> SqlDailyRunRepository::List(
    absl::string_view before_run_date, int limit) {
  absl::Status valid = CheckLimit(limit);
  if (valid.ok() && !before_run_date.empty()) valid = CheckRunDate(before_run_date);
  if (!valid.ok()) return valid;
  SqlParams params;
  std::string where;
  if (!before_run_date.empty()) {
    where = "WHERE run_date < :before ";
    params.Text(std::string(before_run_date));
  }
  where += "ORDER BY run_date DESC LIMIT :limit";
  params.Int(limit);
  return runner_.Run("list daily runs",
                     [&](soci::session& session) { return QueryDailyRuns(session, where, params); });
}

}  // namespace lss::storage
