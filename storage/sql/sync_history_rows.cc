#include "storage/sql/sync_history_rows.h"

#include <utility>

#include "soci/soci.h"
#include "storage/sql/stored_time.h"
#include "storage/sql/value_codec.h"

namespace lss::storage {

const absl::string_view kSyncHistoryColumns =
    "entry_id, license_id, key_number, ka_key_number, synced_at, sync_status, mismatches, "
    "message, error, job_id";

const absl::string_view kInsertSyncHistory =
    "INSERT INTO sync_history (license_id, key_number, ka_key_number, synced_at, sync_status, "
    "mismatches, message, error, job_id) "
    "VALUES (:license_id, :key_number, :ka_key_number, :synced_at, :sync_status, :mismatches, "
    ":message, :error, :job_id)";

const absl::string_view kSyncHistoryInsertColumns =
    "license_id, key_number, ka_key_number, synced_at, sync_status, mismatches, message, error, "
    "job_id";

void AppendSyncHistoryValues(int64_t license_id, absl::string_view key_number,
                             absl::string_view ka_key_number, absl::Time sync_time,
                             const absl::optional<SyncResult>& result, absl::string_view error,
                             absl::string_view job_id, SqlParams& params) {
  params.Int(license_id)
      .Text(std::string(key_number))
      .Text(std::string(ka_key_number))
      .Int(ToStoredMicros(sync_time));
  if (result.has_value()) {
    params.Int(static_cast<int>(result->status))
        .Text(EncodeMismatches(result->mismatches))
        .Text(result->message);
  } else {
    params.Null().Text("").Text("");
  }
  params.Text(std::string(error)).Text(std::string(job_id));
}

namespace {

// One row of kSyncHistoryColumns as SOCI delivers it, before decoding.
struct SyncHistoryRow {
  long long entry_id = 0;
  long long license_id = 0;
  std::string key_number;
  std::string ka_key_number;
  long long synced_at = 0;
  int sync_status = 0;
  soci::indicator sync_status_indicator = soci::i_ok;
  std::string mismatches;
  std::string message;
  std::string error;
  std::string job_id;

  // In kSyncHistoryColumns order.
  void BindTo(soci::statement& statement) {
    statement.exchange(soci::into(entry_id));
    statement.exchange(soci::into(license_id));
    statement.exchange(soci::into(key_number));
    statement.exchange(soci::into(ka_key_number));
    statement.exchange(soci::into(synced_at));
    statement.exchange(soci::into(sync_status, sync_status_indicator));
    statement.exchange(soci::into(mismatches));
    statement.exchange(soci::into(message));
    statement.exchange(soci::into(error));
    statement.exchange(soci::into(job_id));
  }

  absl::StatusOr<SyncHistoryEntry> ToEntry() const {
    SyncHistoryEntry entry;
    entry.entry_id = entry_id;
    entry.license_id = license_id;
    entry.key_number = key_number;
    entry.ka_key_number = ka_key_number;
    entry.sync_time = FromStoredMicros(synced_at);
    if (sync_status_indicator == soci::i_ok) {
      absl::StatusOr<std::vector<Mismatch>> decoded = DecodeMismatches(mismatches);
      if (!decoded.ok()) return decoded.status();
      entry.result = SyncResult{static_cast<SyncStatus>(sync_status), *std::move(decoded), message};
    }
    entry.error = error;
    entry.job_id = job_id;
    return entry;
  }
};

}  // namespace

absl::StatusOr<std::vector<SyncHistoryEntry>> QuerySyncHistory(soci::session& session,
                                                               const std::string& sql,
                                                               const SqlParams& params) {
  SyncHistoryRow row;
  std::vector<SyncHistoryEntry> entries;
  absl::Status status = ForEachRow(
      session, sql, params, [&](soci::statement& statement) { row.BindTo(statement); },
      [&]() -> absl::Status {
        absl::StatusOr<SyncHistoryEntry> converted = row.ToEntry();
        if (!converted.ok()) return converted.status();
        entries.push_back(*std::move(converted));
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return entries;
}

}  // namespace lss::storage
