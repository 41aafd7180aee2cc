#include "storage/sql/license_sync_batch.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"
#include "soci/soci.h"
#include "storage/license_repository.h"
#include "storage/sql/int_column.h"
#include "storage/sql/multi_row_insert.h"
#include "storage/sql/multi_row_update.h"
#include "storage/sql/stored_time.h"
#include "storage/sql/sync_history_rows.h"
#include "storage/sql/sync_job_sql.h"

namespace lss::storage {
namespace {

// Ids per "license_id IN (...)" read: a chunk (500 by default) in one
// statement, far below SQLite's 32,766 bound parameters.
constexpr size_t kIdsPerLockRead = 1000;

// Rows per multi-row statement (history INSERTs, CASE UPDATEs): within the
// 100-1,000 rows where multi-row statements are fastest on MySQL, and
// short enough CASE lists for their linear search to stay cheap.
constexpr size_t kRowsPerStatement = 500;

// SQLite: every kind of write in one statement, NULL keeping a stored value.
constexpr char kSqliteUpdate[] =
    "UPDATE licenses SET sync_status = COALESCE(:sync_status, sync_status), "
    "mismatches = COALESCE(:mismatches, mismatches), "
    "sync_message = COALESCE(:sync_message, sync_message), "
    "last_synced_at = COALESCE(:last_synced_at, last_synced_at), "
    "last_sync_error = :last_sync_error, version = :new_version, "
    "updated_at = COALESCE(:updated_at, updated_at), sync_job_id = :sync_job_id "
    "WHERE license_id = :license_id AND version = :expected_version";

// The values of kSqliteUpdate for one license, with SOCI indicators for the
// NULLs that keep a stored value.
struct SqliteUpdateRow {
  int sync_status = 0;
  soci::indicator sync_status_indicator = soci::i_null;
  std::string mismatches;
  soci::indicator mismatches_indicator = soci::i_null;
  std::string sync_message;
  soci::indicator sync_message_indicator = soci::i_null;
  long long last_synced_at = 0;
  soci::indicator last_synced_at_indicator = soci::i_null;
  std::string last_sync_error;
  long long new_version = 0;
  long long updated_at = 0;
  soci::indicator updated_at_indicator = soci::i_null;
  std::string sync_job_id;
  long long license_id = 0;
  long long expected_version = 0;

  void Set(const LicenseSyncWrite& write) {
    const LicenseSyncOutcome& outcome = *write.outcome;
    const long long sync_micros = ToStoredMicros(outcome.sync_time);
    const bool changed = write.kind == LicenseSyncWriteKind::kResultChanged;
    const bool succeeded = write.kind != LicenseSyncWriteKind::kAttemptFailed;
    sync_status_indicator = mismatches_indicator = sync_message_indicator = updated_at_indicator =
        changed ? soci::i_ok : soci::i_null;
    if (changed) {
      sync_status = static_cast<int>(outcome.result->status);
      mismatches = write.encoded_mismatches;
      sync_message = outcome.result->message;
      updated_at = sync_micros;
    }
    last_synced_at = sync_micros;
    last_synced_at_indicator = succeeded ? soci::i_ok : soci::i_null;
    // A success clears the error of an earlier attempt; a failure records
    // its own.
    last_sync_error = succeeded ? std::string() : write.error;
    // The etag moves with the sync result only (license_model.h).
    new_version = write.expected_version + (changed ? 1 : 0);
    license_id = outcome.license_id;
    expected_version = write.expected_version;
  }

  // In the order of kSqliteUpdate's placeholders.
  void BindTo(soci::statement& statement) {
    statement.exchange(soci::use(sync_status, sync_status_indicator));
    statement.exchange(soci::use(mismatches, mismatches_indicator));
    statement.exchange(soci::use(sync_message, sync_message_indicator));
    statement.exchange(soci::use(last_synced_at, last_synced_at_indicator));
    statement.exchange(soci::use(last_sync_error));
    statement.exchange(soci::use(new_version));
    statement.exchange(soci::use(updated_at, updated_at_indicator));
    statement.exchange(soci::use(sync_job_id));
    statement.exchange(soci::use(license_id));
    statement.exchange(soci::use(expected_version));
  }
};

absl::Status LostUpdate(long long written, size_t expected) {
  // Impossible while the row locks hold; refuse rather than lose a
  // concurrent change if they ever do not.
  return WithReason(absl::AbortedError(
                        absl::StrCat("licenses changed while a sync chunk was committed: ", written,
                                     " of ", expected, " written")),
                    kReasonDatabaseError);
}

// Confirmed results, grouped by their sync time and by whether they clear
// an earlier error: one UPDATE per group and thousand licenses. Returns the
// rows matched.
long long WriteConfirmations(soci::session& session, const Dialect& dialect, absl::string_view job_id,
                             const std::vector<const LicenseSyncWrite*>& confirmed) {
  struct Group {
    long long sync_micros;
    bool clears_error;
    std::vector<long long> ids;
  };
  std::vector<Group> groups;
  for (const LicenseSyncWrite* write : confirmed) {
    const long long sync_micros = ToStoredMicros(write->outcome->sync_time);
    auto group = std::find_if(groups.begin(), groups.end(), [&](const Group& g) {
      return g.sync_micros == sync_micros && g.clears_error == write->clears_error;
    });
    if (group == groups.end()) group = groups.insert(groups.end(), Group{sync_micros, write->clears_error, {}});
    group->ids.push_back(write->outcome->license_id);
  }
  long long matched = 0;
  for (const Group& group : groups) {
    for (size_t begin = 0; begin < group.ids.size(); begin += kIdsPerLockRead) {
      const size_t count = std::min(kIdsPerLockRead, group.ids.size() - begin);
      SqlParams params;
      params.Int(group.sync_micros).Text(std::string(job_id));
      for (size_t i = begin; i < begin + count; ++i) params.Int(group.ids[i]);
      // The ids' placeholders are numbered after the two values before them.
      matched += ExecuteSql(session,
                            absl::StrCat("UPDATE licenses SET last_synced_at = ", dialect.Placeholder(0),
                                         ", sync_job_id = ", dialect.Placeholder(1),
                                         group.clears_error ? ", last_sync_error = ''" : "",
                                         " WHERE license_id IN ", dialect.RowPlaceholders(2, count)),
                            params);
    }
  }
  return matched;
}

absl::Status WriteWithPreparedUpdate(soci::session& session, absl::string_view job_id,
                                     const std::vector<const LicenseSyncWrite*>& writes) {
  SqliteUpdateRow row;
  row.sync_job_id = std::string(job_id);
  soci::statement statement(session);
  row.BindTo(statement);
  statement.alloc();
  statement.prepare(kSqliteUpdate);
  statement.define_and_bind();
  long long written = 0;
  for (const LicenseSyncWrite* write : writes) {
    row.Set(*write);
    statement.execute(true);
    written += statement.get_affected_rows();
  }
  if (written != static_cast<long long>(writes.size())) return LostUpdate(written, writes.size());
  return absl::OkStatus();
}

absl::Status WriteWithCaseUpdates(soci::session& session, const Dialect& dialect,
                                  absl::string_view job_id,
                                  const std::vector<const LicenseSyncWrite*>& writes) {
  // One UPDATE per kind of write, each with the columns that kind changes.
  // sync_job_id is the same in every row: MultiRowUpdate sets it once,
  // without CASE.
  MultiRowUpdate changed(
      "licenses", "license_id",
      {"sync_status", "mismatches", "sync_message", "last_synced_at", "updated_at", "sync_job_id"},
      "last_sync_error = '', version = version + 1", kRowsPerStatement);
  MultiRowUpdate failed("licenses", "license_id", {"last_sync_error", "sync_job_id"}, "",
                        kRowsPerStatement);
  const std::string job(job_id);
  for (const LicenseSyncWrite* write : writes) {
    const LicenseSyncOutcome& outcome = *write->outcome;
    const long long sync_micros = ToStoredMicros(outcome.sync_time);
    if (write->kind == LicenseSyncWriteKind::kResultChanged) {
      changed.AddRow(outcome.license_id, {static_cast<long long>(outcome.result->status), write->encoded_mismatches,
                                          outcome.result->message, sync_micros, sync_micros, job});
    } else {
      failed.AddRow(outcome.license_id, {write->error, job});
    }
  }
  long long written = 0;
  for (const MultiRowUpdate* update : {&changed, &failed}) written += update->Execute(session, dialect);
  if (written != static_cast<long long>(writes.size())) return LostUpdate(written, writes.size());
  return absl::OkStatus();
}

// One row of the locking read, as SOCI delivers it.
struct SyncFieldsRow {
  IntColumn license_id;
  std::string key_number;
  IntColumn sync_status;
  std::string mismatches;
  std::string sync_message;
  std::string last_sync_error;
  IntColumn version;
  IntColumn order_placing;

  void BindTo(soci::statement& statement) {
    license_id.BindTo(statement);
    statement.exchange(soci::into(key_number));
    sync_status.BindTo(statement);
    statement.exchange(soci::into(mismatches));
    statement.exchange(soci::into(sync_message));
    statement.exchange(soci::into(last_sync_error));
    version.BindTo(statement);
    order_placing.BindTo(statement);
  }
};

}  // namespace

std::vector<StoredSyncFields> LockSyncFields(soci::session& session, const Dialect& dialect,
                                             const std::vector<LicenseSyncOutcome>& outcomes,
                                             const LicenseConditions& only) {
  std::vector<long long> ids;
  ids.reserve(outcomes.size());
  for (const LicenseSyncOutcome& outcome : outcomes) {
    if (!outcome.skipped) ids.push_back(outcome.license_id);
  }
  // In key order, as every locking reader of licenses takes its locks.
  std::sort(ids.begin(), ids.end());

  std::vector<StoredSyncFields> stored;
  stored.reserve(ids.size());
  for (size_t begin = 0; begin < ids.size(); begin += kIdsPerLockRead) {
    const size_t count = std::min(kIdsPerLockRead, ids.size() - begin);
    SqlParams params;
    for (size_t i = begin; i < begin + count; ++i) params.Int(ids[i]);
    params.Append(only.params);
    const std::string sql = LockSyncFieldsSql(dialect, count, only.sql);
    SyncFieldsRow row;
    soci::statement statement(session);
    params.BindTo(statement);
    row.BindTo(statement);
    statement.alloc();
    statement.prepare(sql);
    statement.define_and_bind();
    for (bool got = statement.execute(true); got; got = statement.fetch()) {
      stored.push_back(StoredSyncFields{row.license_id.value(), row.key_number,
                                        static_cast<int>(row.sync_status.value()), row.mismatches,
                                        row.sync_message, row.last_sync_error, row.version.value(),
                                        row.order_placing.value() != 0});
    }
  }
  return stored;
}

absl::Status WriteLicenseSyncs(soci::session& session, const Dialect& dialect,
                               absl::string_view job_id,
                               const std::vector<LicenseSyncWrite>& writes) {
  std::vector<const LicenseSyncWrite*> confirmed;
  std::vector<const LicenseSyncWrite*> others;
  for (const LicenseSyncWrite& write : writes) {
    (write.kind == LicenseSyncWriteKind::kResultConfirmed ? confirmed : others).push_back(&write);
  }
  const long long matched = WriteConfirmations(session, dialect, job_id, confirmed);
  if (matched != static_cast<long long>(confirmed.size())) return LostUpdate(matched, confirmed.size());
  if (others.empty()) return absl::OkStatus();
  if (dialect.backend() == DatabaseBackend::kSqlite) return WriteWithPreparedUpdate(session, job_id, others);
  return WriteWithCaseUpdates(session, dialect, job_id, others);
}

void InsertSyncHistory(soci::session& session, const Dialect& dialect, absl::string_view job_id,
                       const std::vector<LicenseSyncWrite>& writes) {
  MultiRowInsert insert(
      session, dialect,
      absl::StrCat("INSERT INTO sync_history (", kSyncHistoryInsertColumns, ") VALUES "),
      kSyncHistoryInsertColumnCount, kRowsPerStatement);
  for (const LicenseSyncWrite& write : writes) {
    if (write.kind == LicenseSyncWriteKind::kResultConfirmed) continue;  // nothing changed
    const LicenseSyncOutcome& outcome = *write.outcome;
    const bool failed = write.kind == LicenseSyncWriteKind::kAttemptFailed;
    AppendSyncHistoryValues(outcome.license_id, write.key_number, outcome.ka_key_number,
                            outcome.sync_time, failed ? absl::nullopt : outcome.result,
                            failed ? write.error : std::string(), job_id, insert.AddRow());
  }
  insert.Finish();
}

}  // namespace lss::storage
