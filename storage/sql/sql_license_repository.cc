#include "storage/sql/sql_license_repository.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"
#include "soci/soci.h"
#include "common/key_number.h"
#include "storage/sql/field_checks.h"
#include "storage/sql/license_filter_sql.h"
#include "storage/sql/license_rows.h"
#include "storage/sql/multi_row_insert.h"
#include "storage/sql/sql_statement.h"
#include "storage/sql/stored_time.h"
#include "storage/sql/sync_history_rows.h"
#include "storage/sql/value_codec.h"

namespace lss::storage {
namespace {

std::string SelectLicenses(absl::string_view rest) {
  return absl::StrCat("SELECT ", kLicenseColumns, " FROM licenses ", rest);
}

// The key base of a new license after checking what the schema would not.
absl::StatusOr<std::string> ValidateNewLicense(const NewLicense& license) {
  absl::StatusOr<std::string> key_base = KeyBaseOf(license.config.key_number);
  if (!key_base.ok()) return key_base.status();
  absl::Status status =
      CheckLength("license_class", license.config.license_class, kMaxLicenseClassLength);
  if (status.ok()) status = CheckLength("request_id", license.request_id, kMaxRequestIdLength);
  if (!status.ok()) return status;
  return key_base;
}

// The license created under `request_id`, refused when it was created for
// a request with another fingerprint.
absl::StatusOr<absl::optional<LicenseRecord>> LoadCreatedBy(soci::session& session, absl::string_view request_id,
                                                            absl::string_view fingerprint) {
  long long license_id = 0;
  std::string recorded_fingerprint;
  bool found = false;
  absl::Status read = ForEachRow(
      session, "SELECT license_id, create_fingerprint FROM licenses WHERE create_request_id = :request_id",
      SqlParams().Text(std::string(request_id)),
      [&](soci::statement& statement) {
        statement.exchange(soci::into(license_id));
        statement.exchange(soci::into(recorded_fingerprint));
      },
      [&] {
        found = true;
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  if (!found) return absl::optional<LicenseRecord>();
  // Licenses created before fingerprints were recorded (migration 0010)
  // have none: any retry of theirs is taken as one.
  if (!recorded_fingerprint.empty() && recorded_fingerprint != fingerprint) {
    return WithMetadata(
        WithReason(absl::FailedPreconditionError(absl::StrCat(
                       "request_id was used by an earlier CreateLicense with other parameters (license ",
                       license_id, "); a new license needs a new request_id")),
                   kReasonRequestIdReused),
        "license_id", absl::StrCat(license_id));
  }
  absl::StatusOr<LicenseRecord> license = LoadLicenseById(session, license_id);
  if (!license.ok()) return license.status();
  return absl::optional<LicenseRecord>(*std::move(license));
}

}  // namespace

absl::StatusOr<LicenseRecord> SqlLicenseRepository::Create(const NewLicense& license,
                                                           absl::Time now) {
  absl::StatusOr<std::string> key_base = ValidateNewLicense(license);
  if (!key_base.ok()) return key_base.status();

  absl::StatusOr<LicenseRecord> created = runner_.RunInTransaction(
      "create license", [&](soci::session& session) -> absl::StatusOr<LicenseRecord> {
        if (!license.request_id.empty()) {
          absl::StatusOr<absl::optional<LicenseRecord>> earlier =
              LoadCreatedBy(session, license.request_id, license.request_fingerprint);
          if (!earlier.ok()) return earlier.status();
          if (earlier->has_value()) return **std::move(earlier);
        }
        SqlParams params;
        AppendLicenseInsertValues(license, *key_base, now, params);
        ExecuteSql(session,
                   absl::StrCat("INSERT INTO licenses (", kLicenseInsertColumns, ") VALUES ",
                                runner_.dialect().RowPlaceholders(0, kLicenseInsertColumnCount)),
                   params);
        // Inside the transaction: MariaDB reports no id once it has committed.
        return LoadLicenseById(session, LastInsertId(session, "licenses"));
      });
  if (!absl::IsAlreadyExists(created.status())) return created;

  // A unique key refused the row. If it was the request_id, a concurrent
  // retry of the same CreateLicense won the race: answer with its license.
  if (!license.request_id.empty()) {
    absl::StatusOr<absl::optional<LicenseRecord>> winner =
        FindCreatedBy(license.request_id, license.request_fingerprint);
    if (!winner.ok()) return winner.status();
    if (winner->has_value()) return **std::move(winner);
  }
  return WithReason(absl::AlreadyExistsError(absl::StrCat("a license already holds key ", *key_base,
                                                          " (in some revision)")),
                    kReasonLicenseAlreadyExists);
}

absl::StatusOr<absl::optional<LicenseRecord>> SqlLicenseRepository::FindCreatedBy(absl::string_view request_id,
                                                                                absl::string_view fingerprint) {
  if (request_id.empty()) return absl::optional<LicenseRecord>();
  return runner_.Run("find license by request id", [&](soci::session& session) {
    return LoadCreatedBy(session, request_id, fingerprint);
  });
}

absl::StatusOr<CreateManyResult> SqlLicenseRepository::CreateMany(
    const std::vector<NewLicense>& licenses, absl::Time now) {
  std::vector<std::string> key_bases;
  key_bases.reserve(licenses.size());
  for (const NewLicense& license : licenses) {
    absl::StatusOr<std::string> key_base = ValidateNewLicense(license);
    if (!key_base.ok()) return key_base.status();
    key_bases.push_back(*std::move(key_base));
  }
  if (licenses.empty()) return CreateManyResult{};

  const std::string insert_head = absl::StrCat(
      runner_.dialect().InsertIgnore(), " INTO licenses (", kLicenseInsertColumns, ") VALUES ");
  return runner_.RunInTransaction(
      "create licenses", [&](soci::session& session) -> absl::StatusOr<CreateManyResult> {
        MultiRowInsert insert(session, runner_.dialect(), insert_head, kLicenseInsertColumnCount,
                              kRowsPerInsert);
        for (size_t i = 0; i < licenses.size(); ++i) {
          AppendLicenseInsertValues(licenses[i], key_bases[i], now, insert.AddRow());
        }
        // Rows that hit an existing key (or an earlier row of this call;
        // or a taken request_id) are skipped and not counted as affected.
        CreateManyResult result;
        result.created = insert.Finish();
        result.already_present = static_cast<int64_t>(licenses.size()) - result.created;
        return result;
      });
}

absl::StatusOr<LicenseRecord> SqlLicenseRepository::Get(int64_t license_id) {
  return runner_.Run("get license",
                     [&](soci::session& session) { return LoadLicenseById(session, license_id); });
}

absl::StatusOr<LicenseRecord> SqlLicenseRepository::FindByKeyNumber(absl::string_view key_number) {
  absl::StatusOr<std::string> key_base = KeyBaseOf(key_number);
  if (!key_base.ok()) return key_base.status();
  return runner_.Run(
      "find license by key number", [&](soci::session& session) -> absl::StatusOr<LicenseRecord> {
        absl::StatusOr<std::vector<LicenseRecord>> rows = QueryLicenses(
            session, SelectLicenses("WHERE key_base = :key_base"), SqlParams().Text(*key_base));
        if (!rows.ok()) return rows.status();
        if (rows->empty()) {
          return WithReason(absl::NotFoundError(absl::StrCat("no license holds key ", *key_base)),
                            kReasonLicenseNotFound);
        }
        return std::move(rows->front());
      });
}

absl::StatusOr<std::vector<LicenseRecord>> SqlLicenseRepository::List(const LicenseFilter& filter,
                                                                      int64_t after_id, int limit) {
  absl::Status valid = CheckLimit(limit);
  if (!valid.ok()) return valid;
  std::string sql = SelectLicenses("WHERE license_id > :after_id");
  SqlParams params;
  params.Int(after_id);
  AppendLicenseFilter(filter, sql, params);
  sql += " ORDER BY license_id LIMIT :limit";
  params.Int(limit);
  return runner_.Run("list licenses",
                     [&](soci::session& session) { return QueryLicenses(session, sql, params); });
}

absl::StatusOr<LicenseRecord> SqlLicenseRepository::RecordSync(int64_t license_id,
                                                               const SyncOutcome& outcome) {
  absl::Status valid = CheckLength("ka_key_number", outcome.ka_key_number, kMaxKeyNumberLength);
  if (valid.ok()) valid = CheckLength("job_id", outcome.job_id, kMaxJobIdLength);
  if (!valid.ok()) return valid;
  const long long sync_micros = ToStoredMicros(outcome.sync_time);

  return runner_.RunInTransaction(
      "record sync", [&](soci::session& session) -> absl::StatusOr<LicenseRecord> {
        absl::StatusOr<LicenseRecord> record =
            LoadLicenseById(session, license_id, runner_.dialect().ForUpdate());
        if (!record.ok()) return record.status();
        if (record->order_placing) {
          return WithReason(absl::FailedPreconditionError(absl::StrCat(
                                "license ", license_id,
                                " is not synced while its upgrade order is being placed")),
                            kReasonOrderPlacing);
        }
        if (outcome.compared_version.has_value() && *outcome.compared_version != record->version) {
          return WithReason(absl::AbortedError(absl::StrCat("license ", license_id,
                                                            " changed while it was being compared with KA")),
                            kReasonLicenseChangedDuringSync);
        }
        // sync_job_id stays: it tells a bulk job which licenses it covered,
        // and a SyncLicense meanwhile must not make the job count one twice.
        if (!record->sync.SameFindingsAs(outcome.result)) {
          const long long updated = ExecuteSql(
              session,
              "UPDATE licenses SET sync_status = :sync_status, mismatches = :mismatches, "
              "sync_message = :sync_message, last_synced_at = :last_synced_at, "
              "last_sync_error = '', version = version + 1, updated_at = :updated_at "
              "WHERE license_id = :license_id AND version = :version",
              SqlParams()
                  .Int(static_cast<int>(outcome.result.status))
                  .Text(EncodeMismatches(outcome.result.mismatches))
                  .Text(outcome.result.message)
                  .Int(sync_micros)
                  .Int(sync_micros)
                  .Int(license_id)
                  .Int(record->version));
          if (updated != 1) {
            // Impossible while the row lock holds; refuse rather than lose
            // a concurrent change if it ever does not.
            return WithReason(absl::AbortedError(absl::StrCat(
                                  "license ", license_id, " changed while its sync was recorded")),
                              kReasonDatabaseError);
          }
          record->sync = outcome.result;
          record->version += 1;
          record->update_time = FromStoredMicros(sync_micros);
          // The history records what changed (first sync, status, the set
          // of mismatches): an unchanged result leaves no entry.
          SqlParams history;
          AppendSyncHistoryValues(license_id, record->config.key_number, outcome.ka_key_number,
                                  outcome.sync_time, outcome.result, "", outcome.job_id, history);
          ExecuteSql(session, std::string(kInsertSyncHistory), history);
        } else {
          // Same result: the etag stays, only the time of the check moves.
          ExecuteSql(session,
                     "UPDATE licenses SET last_synced_at = :last_synced_at, last_sync_error = '' "
                     "WHERE license_id = :license_id",
                     SqlParams().Int(sync_micros).Int(license_id));
        }
        record->last_synced_at = FromStoredMicros(sync_micros);
        record->last_sync_error.clear();
        return record;
      });
}

absl::StatusOr<LicenseRecord> SqlLicenseRepository::RecordSyncFailure(int64_t license_id,
                                                                      const SyncFailure& failure) {
  absl::Status valid = CheckLength("job_id", failure.job_id, kMaxJobIdLength);
  if (!valid.ok()) return valid;

  return runner_.RunInTransaction(
      "record sync failure", [&](soci::session& session) -> absl::StatusOr<LicenseRecord> {
        absl::StatusOr<LicenseRecord> record =
            LoadLicenseById(session, license_id, runner_.dialect().ForUpdate());
        if (!record.ok()) return record.status();
        ExecuteSql(session,
                   "UPDATE licenses SET last_sync_error = :error WHERE license_id = :license_id",
                   SqlParams().Text(failure.error).Int(license_id));
        record->last_sync_error = failure.error;

        SqlParams history;
        AppendSyncHistoryValues(license_id, record->config.key_number, "", failure.sync_time,
                                absl::nullopt, failure.error, failure.job_id, history);
        ExecuteSql(session, std::string(kInsertSyncHistory), history);
        return record;
      });
}

absl::StatusOr<std::vector<SyncHistoryEntry>> SqlLicenseRepository::ListHistory(int64_t license_id,
                                                                                int64_t before_id,
                                                                                int limit) {
  absl::Status valid = CheckLimit(limit);
  if (!valid.ok()) return valid;
  std::string sql = absl::StrCat("SELECT ", kSyncHistoryColumns,
                                 " FROM sync_history WHERE license_id = :license_id");
  SqlParams params;
  params.Int(license_id);
  if (before_id > 0) {
    sql += " AND entry_id < :before_id";
    params.Int(before_id);
  }
  sql += " ORDER BY entry_id DESC LIMIT :limit";
  params.Int(limit);

  return runner_.Run(
      "list sync history",
      [&](soci::session& session) -> absl::StatusOr<std::vector<SyncHistoryEntry>> {
        absl::StatusOr<std::vector<SyncHistoryEntry>> entries =
            QuerySyncHistory(session, sql, params);
        if (!entries.ok() || !entries->empty()) return entries;
        // An empty page: tell "no (more) history" from "no
        // such license".
        if (!QueryInt(session, "SELECT license_id FROM licenses WHERE license_id = :id",
                      SqlParams().Int(license_id))) {
          return LicenseNotFound(license_id);
        }
        return entries;
      });
}

}  // namespace lss::storage
