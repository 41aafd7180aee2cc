// The lifecycle side of SqlLicenseRepository: the daily run's renewal,
// expiry, history retention and the failures a SyncAll job recorded, and
// termination.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"
#include "soci/soci.h"
#include "storage/sql/field_checks.h"
#include "storage/sql/license_rows.h"
#include "storage/sql/sql_license_repository.h"
#include "storage/sql/sql_statement.h"
#include "storage/sql/stored_time.h"
#include "storage/sql/sync_history_rows.h"

namespace lss::storage {
namespace {

constexpr int kActive = static_cast<int>(LicenseState::kActive);
constexpr int kExpired = static_cast<int>(LicenseState::kExpired);
constexpr int kTerminated = static_cast<int>(LicenseState::kTerminated);
constexpr int kInSync = static_cast<int>(SyncStatus::kInSync);

// Up to `limit` ids that `select_sql` (one integer column; its parameters
// `params` followed by the limit) returns.
std::vector<long long> SelectIds(soci::session& session, const std::string& select_sql,
                                 SqlParams params, int64_t limit) {
  std::vector<long long> ids;
  long long id = 0;
  params.Int(limit);
  soci::statement statement(session);
  params.BindTo(statement);
  statement.exchange(soci::into(id));
  statement.alloc();
  statement.prepare(select_sql);
  statement.define_and_bind();
  for (bool got = statement.execute(true); got; got = statement.fetch()) ids.push_back(id);
  return ids;
}

}  // namespace

absl::StatusOr<std::vector<LicenseRecord>> SqlLicenseRepository::ListRenewalDue(absl::Time now,
                                                                                int64_t after_id,
                                                                                int limit) {
  absl::Status valid = CheckLimit(limit);
  if (!valid.ok()) return valid;
  const std::string sql = absl::StrCat(
      "SELECT ", kLicenseColumns,
      " FROM licenses WHERE state = :state AND sync_status = :sync_status AND order_placing = 0 "
      "AND (terminating_until IS NULL OR terminating_until <= :terminating_now) "
      "AND renewal_due_at <= :now AND license_id > :after_id ORDER BY license_id LIMIT :limit");
  const SqlParams params = SqlParams()
                               .Int(kActive)
                               .Int(kInSync)
                               .Int(ToStoredMicros(now))
                               .Int(ToStoredMicros(now))
                               .Int(after_id)
                               .Int(limit);
  return runner_.Run("list licenses due for renewal",
                     [&](soci::session& session) { return QueryLicenses(session, sql, params); });
}

absl::StatusOr<LicenseRecord> SqlLicenseRepository::RecordRenewal(int64_t license_id,
                                                                  const Renewal& renewal,
                                                                  absl::Time now) {
  absl::Status valid = CheckLength("key_number", renewal.key_number, kMaxKeyNumberLength);
  if (!valid.ok()) return valid;
  const long long now_micros = ToStoredMicros(now);
  return runner_.RunInTransaction(
      "record renewal", [&](soci::session& session) -> absl::StatusOr<LicenseRecord> {
        const long long updated = ExecuteSql(
            session,
            "UPDATE licenses SET renewal_due_at = :renewal_due_at, expire_at = :expire_at, "
            "version = version + 1, updated_at = :updated_at "
            "WHERE license_id = :license_id AND key_number = :key_number AND state = :active "
            "AND sync_status = :in_sync AND order_placing = 0 "
            "AND (terminating_until IS NULL OR terminating_until <= :now)",
            SqlParams()
                .Int(ToStoredMicros(renewal.renewal_due_time))
                .Int(ToStoredMicros(renewal.expire_time))
                .Int(now_micros)
                .Int(license_id)
                .Text(renewal.key_number)
                .Int(kActive)
                .Int(kInSync)
                .Int(now_micros));
        absl::StatusOr<LicenseRecord> license = LoadLicenseById(session, license_id);
        if (!license.ok()) return license.status();
        if (updated == 1) return license;
        // The row read after the update says which condition failed.
        if (license->config.key_number != renewal.key_number) {
          return WithReason(
              absl::FailedPreconditionError(absl::StrCat(
                  "license ", license_id, " holds key ", license->config.key_number,
                  ", not the renewed key ", renewal.key_number)),
              kReasonLicenseKeyChanged);
        }
        if (license->order_placing) {
          return WithReason(absl::FailedPreconditionError(absl::StrCat(
                                "license ", license_id, " has an upgrade order being placed: not renewed")),
                            kReasonOrderPlacing);
        }
        if (license->state != LicenseState::kActive) {
          return WithReason(absl::FailedPreconditionError(
                                absl::StrCat("license ", license_id, " is no longer active: not renewed")),
                            kReasonLicenseNotActive);
        }
        if (license->terminating_until && *license->terminating_until > now) {
          return WithReason(absl::FailedPreconditionError(
                                absl::StrCat("license ", license_id, " is being terminated: not renewed")),
                            kReasonLicenseTerminating);
        }
        return WithReason(absl::FailedPreconditionError(absl::StrCat(
                              "license ", license_id, " is no longer In Sync: not renewed (DESIGN: a Not In Sync "
                              "license is not renewed)")),
                          kReasonLicenseNotInSync);
      });
}

absl::StatusOr<LicenseRecord> SqlLicenseRepository::BeginTermination(int64_t license_id, absl::Time until,
                                                                     absl::Time now) {
  return runner_.RunInTransaction(
      "begin terminating license", [&](soci::session& session) -> absl::StatusOr<LicenseRecord> {
        // As MarkTerminated: the conditions in the update, its count decides.
        const long long marked = ExecuteSql(
            session,
            "UPDATE licenses SET terminating_until = :until, version = version + 1, updated_at = :updated_at "
            "WHERE license_id = :license_id AND state <> :terminated AND order_placing = 0",
            SqlParams().Int(ToStoredMicros(until)).Int(ToStoredMicros(now)).Int(license_id).Int(kTerminated));
        absl::StatusOr<LicenseRecord> license = LoadLicenseById(session, license_id);
        if (!license.ok()) return license.status();
        if (marked == 1 || license->state == LicenseState::kTerminated) return license;
        return WithReason(absl::FailedPreconditionError(absl::StrCat(
                              "an upgrade order is being placed for license ", license_id,
                              "; terminate it after the order ends")),
                          kReasonOrderPlacing);
      });
}

absl::Status SqlLicenseRepository::EndTermination(int64_t license_id) {
  return runner_.Run("end terminating license", [&](soci::session& session) -> absl::Status {
    ExecuteSql(session, "UPDATE licenses SET terminating_until = NULL WHERE license_id = :license_id",
               SqlParams().Int(license_id));
    return absl::OkStatus();
  });
}

absl::StatusOr<LicenseRecord> SqlLicenseRepository::MarkTerminated(int64_t license_id,
                                                                   absl::Time now) {
  const long long now_micros = ToStoredMicros(now);
  return runner_.RunInTransaction(
      "terminate license", [&](soci::session& session) -> absl::StatusOr<LicenseRecord> {
        // The conditions in the update, as RecordRenewal does: its
        // affected-row count decides, and the row read after it says why
        // nothing changed.
        const long long terminated = ExecuteSql(
            session,
            "UPDATE licenses SET state = :terminated, version = version + 1, "
            "updated_at = :updated_at, terminating_until = NULL WHERE license_id = :license_id "
            "AND state <> :already_terminated AND order_placing = 0",
            SqlParams().Int(kTerminated).Int(now_micros).Int(license_id).Int(kTerminated));
        absl::StatusOr<LicenseRecord> license = LoadLicenseById(session, license_id);
        if (!license.ok()) return license.status();
        // Already TERMINATED: a retried termination answers as the first.
        if (terminated == 1 || license->state == LicenseState::kTerminated) return license;
        if (license->order_placing) {
          return WithReason(absl::FailedPreconditionError(absl::StrCat(
                                "license ", license_id,
                                " is not terminated while its upgrade order is being placed")),
                            kReasonOrderPlacing);
        }
        // Impossible while the update's row lock holds; refuse rather than
        // report a termination that did not happen.
        return WithReason(absl::AbortedError(absl::StrCat(
                              "license ", license_id, " changed while it was terminated")),
                          kReasonDatabaseError);
      });
}

absl::StatusOr<int64_t> SqlLicenseRepository::ExpirePastDue(absl::Time now) {
  const long long now_micros = ToStoredMicros(now);
  const std::string select =
      "SELECT license_id FROM licenses WHERE state = :state AND expire_at < :now "
      "AND order_placing = 0 ORDER BY license_id LIMIT :limit";
  int64_t expired = 0;
  for (;;) {
    absl::StatusOr<long long> batch = runner_.RunInTransaction(
        "expire licenses", [&](soci::session& session) -> absl::StatusOr<long long> {
          const std::vector<long long> ids =
              SelectIds(session, select, SqlParams().Int(kActive).Int(now_micros), kRowsPerBatch);
          if (ids.empty()) return 0;
          // The conditions again: a license renewed or upgraded since the
          // SELECT keeps its state. Placeholders by position, for the
          // thousands of ids (Dialect::Placeholder).
          const Dialect& dialect = runner_.dialect();
          const std::string update = absl::StrCat(
              "UPDATE licenses SET state = ", dialect.Placeholder(0),
              ", version = version + 1, updated_at = ", dialect.Placeholder(1),
              " WHERE state = ", dialect.Placeholder(2), " AND expire_at < ", dialect.Placeholder(3),
              " AND order_placing = 0 AND license_id IN ", dialect.RowPlaceholders(4, ids.size()));
          SqlParams params = SqlParams().Int(kExpired).Int(now_micros).Int(kActive).Int(now_micros);
          for (long long id : ids) params.Int(id);
          return ExecuteSql(session, update, params);
        });
    if (!batch.ok()) return batch.status();
    if (*batch == 0) return expired;
    expired += *batch;
  }
}

absl::StatusOr<int64_t> SqlLicenseRepository::PruneHistoryBefore(absl::Time cutoff) {
  const long long cutoff_micros = ToStoredMicros(cutoff);
  const std::string select =
      "SELECT entry_id FROM sync_history WHERE synced_at < :cutoff ORDER BY entry_id LIMIT :limit";
  int64_t pruned = 0;
  for (;;) {
    absl::StatusOr<long long> batch = runner_.RunInTransaction(
        "prune sync history", [&](soci::session& session) -> absl::StatusOr<long long> {
          const std::vector<long long> ids =
              SelectIds(session, select, SqlParams().Int(cutoff_micros), kRowsPerBatch);
          if (ids.empty()) return 0;
          SqlParams params;
          for (long long id : ids) params.Int(id);
          return ExecuteSql(session,
                            absl::StrCat("DELETE FROM sync_history WHERE entry_id IN ",
                                         runner_.dialect().RowPlaceholders(0, ids.size())),
                            params);
        });
    if (!batch.ok()) return batch.status();
    if (*batch == 0) return pruned;
    pruned += *batch;
  }
}

absl::StatusOr<std::vector<SyncHistoryEntry>> SqlLicenseRepository::ListJobFailures(
    absl::string_view job_id, int limit) {
  absl::Status valid = CheckLimit(limit);
  if (valid.ok()) valid = CheckLength("job_id", job_id, kMaxJobIdLength);
  if (!valid.ok()) return valid;
  // Once a day per job, so a scan of the history is cheaper than an index
  // that every chunk's insert would pay for.
  const std::string sql =
      absl::StrCat("SELECT ", kSyncHistoryColumns,
                   " FROM sync_history WHERE job_id = :job_id AND sync_status IS NULL "
                   "ORDER BY entry_id LIMIT :limit");
  const SqlParams params = SqlParams().Text(std::string(job_id)).Int(limit);
  return runner_.Run("list a sync job's failures", [&](soci::session& session) {
    return QuerySyncHistory(session, sql, params);
  });
}

}  // namespace lss::storage
