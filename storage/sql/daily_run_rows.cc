#include "storage/sql/daily_run_rows.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"
#include "soci/soci.h"
#include "storage/license_repository.h"
#include "storage/sql/stored_time.h"

namespace lss::storage {
namespace {

absl::Status Corrupt(absl::string_view run_date, absl::string_view what) {
  return WithReason(absl::DataLossError(absl::StrCat("daily run ", run_date, ": ", what)),
                    kReasonDatabaseError);
}

bool ValidState(int state) {
  return state >= static_cast<int>(DailyRunState::kRunning) &&
         state <= static_cast<int>(DailyRunState::kFailed);
}

bool ValidKind(int kind) {
  return kind >= static_cast<int>(DailyRunPhaseKind::kSync) &&
         kind <= static_cast<int>(DailyRunPhaseKind::kPrune);
}

absl::optional<absl::Time> OptionalTime(long long micros, soci::indicator indicator) {
  if (indicator != soci::i_ok) return absl::nullopt;
  return FromStoredMicros(micros);
}

absl::StatusOr<std::vector<DailyRunRecord>> QueryRuns(soci::session& session, absl::string_view where,
                                                      const SqlParams& params) {
  std::vector<DailyRunRecord> runs;
  std::string run_date, run_id, owner;
  int state = 0;
  long long lease_expires_at = 0, attempts = 0, started_at = 0, ended_at = 0;
  soci::indicator ended_indicator = soci::i_ok;
  absl::Status status = ForEachRow(
      session,
      absl::StrCat("SELECT run_date, run_id, state, owner, lease_expires_at, attempts, started_at, "
                   "ended_at FROM daily_runs ",
                   where),
      params,
      [&](soci::statement& statement) {
        statement.exchange(soci::into(run_date));
        statement.exchange(soci::into(run_id));
        statement.exchange(soci::into(state));
        statement.exchange(soci::into(owner));
        statement.exchange(soci::into(lease_expires_at));
        statement.exchange(soci::into(attempts));
        statement.exchange(soci::into(started_at));
        statement.exchange(soci::into(ended_at, ended_indicator));
      },
      [&]() -> absl::Status {
        if (!ValidState(state)) return Corrupt(run_date, absl::StrCat("unknown state ", state));
        DailyRunRecord run;
        run.run_date = run_date;
        run.run_id = run_id;
        run.state = static_cast<DailyRunState>(state);
        run.owner = owner;
        run.attempts = attempts;
        run.lease_expires_at = FromStoredMicros(lease_expires_at);
        run.start_time = FromStoredMicros(started_at);
        run.end_time = OptionalTime(ended_at, ended_indicator);
        runs.push_back(std::move(run));
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return runs;
}

absl::Status LoadPhases(soci::session& session, DailyRunRecord& run) {
  int kind = 0, state = 0;
  long long processed = 0, succeeded = 0, failed = 0, started_at = 0, ended_at = 0;
  soci::indicator ended_indicator = soci::i_ok;
  std::string job_id, error;
  absl::Status status = ForEachRow(
      session,
      "SELECT kind, state, processed, succeeded, failed, job_id, started_at, ended_at, error "
      "FROM daily_run_phases WHERE run_date = :run_date ORDER BY kind",
      SqlParams().Text(run.run_date),
      [&](soci::statement& statement) {
        statement.exchange(soci::into(kind));
        statement.exchange(soci::into(state));
        statement.exchange(soci::into(processed));
        statement.exchange(soci::into(succeeded));
        statement.exchange(soci::into(failed));
        statement.exchange(soci::into(job_id));
        statement.exchange(soci::into(started_at));
        statement.exchange(soci::into(ended_at, ended_indicator));
        statement.exchange(soci::into(error));
      },
      [&]() -> absl::Status {
        if (!ValidKind(kind)) return Corrupt(run.run_date, absl::StrCat("unknown phase ", kind));
        if (!ValidState(state)) {
          return Corrupt(run.run_date, absl::StrCat("unknown phase state ", state));
        }
        DailyRunPhase phase;
        phase.kind = static_cast<DailyRunPhaseKind>(kind);
        phase.state = static_cast<DailyRunState>(state);
        phase.processed = processed;
        phase.succeeded = succeeded;
        phase.failed = failed;
        phase.job_id = job_id;
        phase.start_time = FromStoredMicros(started_at);
        phase.end_time = OptionalTime(ended_at, ended_indicator);
        phase.error = error;
        run.phases.push_back(std::move(phase));
        return absl::OkStatus();
      });
  if (!status.ok()) return status;

  long long license_id = 0;
  std::string key_number;
  return ForEachRow(
      session,
      "SELECT kind, license_id, key_number, error FROM daily_run_failures "
      "WHERE run_date = :run_date ORDER BY kind, position",
      SqlParams().Text(run.run_date),
      [&](soci::statement& statement) {
        statement.exchange(soci::into(kind));
        statement.exchange(soci::into(license_id));
        statement.exchange(soci::into(key_number));
        statement.exchange(soci::into(error));
      },
      [&]() -> absl::Status {
        auto phase = std::find_if(run.phases.begin(), run.phases.end(), [&](const DailyRunPhase& p) {
          return static_cast<int>(p.kind) == kind;
        });
        if (phase == run.phases.end()) {
          return Corrupt(run.run_date, absl::StrCat("a failure of phase ", kind, " it does not have"));
        }
        phase->failures.push_back(DailyRunFailure{license_id, key_number, error});
        return absl::OkStatus();
      });
}

}  // namespace

absl::StatusOr<std::vector<DailyRunRecord>> QueryDailyRuns(soci::session& session,
                                                           absl::string_view where,
                                                           const SqlParams& params) {
  absl::StatusOr<std::vector<DailyRunRecord>> runs = QueryRuns(session, where, params);
  if (!runs.ok()) return runs;
  for (DailyRunRecord& run : *runs) {
    if (absl::Status loaded = LoadPhases(session, run); !loaded.ok()) return loaded;
  }
  return runs;
}

void WritePhase(soci::session& session, absl::string_view run_date, const DailyRunPhase& phase) {
  const std::string date(run_date);
  const int kind = static_cast<int>(phase.kind);
  // Failures first: they reference their phase.
  ExecuteSql(session, "DELETE FROM daily_run_failures WHERE run_date = :run_date AND kind = :kind",
             SqlParams().Text(date).Int(kind));
  ExecuteSql(session, "DELETE FROM daily_run_phases WHERE run_date = :run_date AND kind = :kind",
             SqlParams().Text(date).Int(kind));
  SqlParams values;
  values.Text(date)
      .Int(kind)
      .Int(static_cast<int>(phase.state))
      .Int(phase.processed)
      .Int(phase.succeeded)
      .Int(phase.failed)
      .Text(phase.job_id)
      .Int(ToStoredMicros(phase.start_time));
  if (phase.end_time.has_value()) {
    values.Int(ToStoredMicros(*phase.end_time));
  } else {
    values.Null();
  }
  values.Text(phase.error);
  ExecuteSql(session,
             "INSERT INTO daily_run_phases (run_date, kind, state, processed, succeeded, failed, "
             "job_id, started_at, ended_at, error) VALUES (:run_date, :kind, :state, :processed, "
             ":succeeded, :failed, :job_id, :started_at, :ended_at, :error)",
             values);
  const size_t kept = std::min(phase.failures.size(), kMaxDailyRunFailures);
  for (size_t i = 0; i < kept; ++i) {
    const DailyRunFailure& failure = phase.failures[i];
    ExecuteSql(session,
               "INSERT INTO daily_run_failures (run_date, kind, position, license_id, key_number, "
               "error) VALUES (:run_date, :kind, :position, :license_id, :key_number, :error)",
               SqlParams()
                   .Text(date)
                   .Int(kind)
                   .Int(static_cast<long long>(i))
                   .Int(failure.license_id)
                   .Text(failure.key_number)
                   .Text(failure.error));
  }
}

}  // namespace lss::storage
