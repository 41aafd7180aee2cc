#include "storage/sql/sync_job_rows.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"
#include "soci/soci.h"
#include "storage/license_repository.h"
#include "storage/sql/stored_time.h"

namespace lss::storage {

const absl::string_view kSyncJobColumns =
    "job_id, state, scope_sync_status, scope_state, scope_license_class, "
    "scope_key_number_prefix, scope_usable_until_before, created_by, created_at, "
    "ended_at, total, processed, in_sync, not_in_sync, errors, skipped, chunk_count, chunks_done, "
    "cancel_requested, error, bulk";

const absl::string_view kSyncChunkColumns =
    "job_id, chunk_index, first_license_id, last_license_id, license_count, owner, "
    "lease_expires_at, attempts, page_token";

const absl::string_view kSyncChunkInsertColumns =
    "job_id, chunk_index, first_license_id, last_license_id, license_count, state, owner, "
    "lease_expires_at, attempts, page_token";

void AppendNewSyncJobValues(const NewSyncJob& job, absl::Time now, SqlParams& params) {
  const LicenseFilter& scope = job.scope;
  params.Text(job.job_id).Int(static_cast<int>(SyncJobState::kRunning));
  if (scope.sync_status.has_value()) {
    params.Int(static_cast<int>(*scope.sync_status));
  } else {
    params.Null();
  }
  if (scope.state.has_value()) {
    params.Int(static_cast<int>(*scope.state));
  } else {
    params.Null();
  }
  params.Text(scope.license_class).Text(scope.key_number_prefix);
  if (scope.usable_until_before.has_value()) {
    params.Int(ToStoredMicros(*scope.usable_until_before));
  } else {
    params.Null();
  }
  params.Text(job.created_by).Int(ToStoredMicros(now)).Null();
  // total, processed, in_sync, not_in_sync, errors, skipped, chunk_count,
  // chunks_done, cancel_requested
  for (int i = 0; i < 9; ++i) params.Int(0);
  params.Text("").Int(job.bulk ? 1 : 0);
}

void AppendNewChunkValues(absl::string_view job_id, int64_t chunk_index, int64_t first_license_id,
                          int64_t last_license_id, int64_t license_count, ChunkState state,
                          const absl::optional<std::string>& page_token, SqlParams& params) {
  params.Text(std::string(job_id))
      .Int(chunk_index)
      .Int(first_license_id)
      .Int(last_license_id)
      .Int(license_count)
      .Int(static_cast<int>(state))
      .Text("")
      .Int(0)
      .Int(0);
  // Not TextOrNull: the first page's token is '', and NULL means a range.
  if (page_token.has_value()) {
    params.Text(*page_token);
  } else {
    params.Null();
  }
}

namespace {

absl::Status Corrupt(absl::string_view job_id, absl::string_view what) {
  return WithReason(absl::DataLossError(absl::StrCat("sync job ", job_id, ": ", what)),
                    kReasonDatabaseError);
}

// One row of kSyncJobColumns as SOCI delivers it, before decoding.
struct SyncJobRow {
  std::string job_id;
  int state = 0;
  int scope_sync_status = 0;
  soci::indicator scope_sync_status_indicator = soci::i_ok;
  int scope_state = 0;
  soci::indicator scope_state_indicator = soci::i_ok;
  std::string scope_license_class;
  std::string scope_key_number_prefix;
  long long scope_usable_until_before = 0;
  soci::indicator scope_usable_until_before_indicator = soci::i_ok;
  std::string created_by;
  long long created_at = 0;
  long long ended_at = 0;
  soci::indicator ended_at_indicator = soci::i_ok;
  long long total = 0;
  long long processed = 0;
  long long in_sync = 0;
  long long not_in_sync = 0;
  long long errors = 0;
  long long skipped = 0;
  long long chunk_count = 0;
  long long chunks_done = 0;
  int cancel_requested = 0;
  std::string error;
  int bulk = 0;

  // In kSyncJobColumns order.
  void BindTo(soci::statement& statement) {
    statement.exchange(soci::into(job_id));
    statement.exchange(soci::into(state));
    statement.exchange(soci::into(scope_sync_status, scope_sync_status_indicator));
    statement.exchange(soci::into(scope_state, scope_state_indicator));
    statement.exchange(soci::into(scope_license_class));
    statement.exchange(soci::into(scope_key_number_prefix));
    statement.exchange(soci::into(scope_usable_until_before, scope_usable_until_before_indicator));
    statement.exchange(soci::into(created_by));
    statement.exchange(soci::into(created_at));
    statement.exchange(soci::into(ended_at, ended_at_indicator));
    statement.exchange(soci::into(total));
    statement.exchange(soci::into(processed));
    statement.exchange(soci::into(in_sync));
    statement.exchange(soci::into(not_in_sync));
    statement.exchange(soci::into(errors));
    statement.exchange(soci::into(skipped));
    statement.exchange(soci::into(chunk_count));
    statement.exchange(soci::into(chunks_done));
    statement.exchange(soci::into(cancel_requested));
    statement.exchange(soci::into(error));
    statement.exchange(soci::into(bulk));
  }

  absl::StatusOr<SyncJobRecord> ToRecord() const {
    // Enum values a newer release might add are refused rather than
    // misread: a job's state decides what replicas do with it.
    if (state < static_cast<int>(SyncJobState::kRunning) ||
        state > static_cast<int>(SyncJobState::kFailed)) {
      return Corrupt(job_id, absl::StrCat("unknown state ", state));
    }
    SyncJobRecord record;
    record.job_id = job_id;
    record.state = static_cast<SyncJobState>(state);
    if (scope_sync_status_indicator == soci::i_ok) {
      if (scope_sync_status < static_cast<int>(SyncStatus::kNeverSynced) ||
          scope_sync_status > static_cast<int>(SyncStatus::kNotInSync)) {
        return Corrupt(job_id, absl::StrCat("unknown scope sync status ", scope_sync_status));
      }
      record.scope.sync_status = static_cast<SyncStatus>(scope_sync_status);
    }
    if (scope_state_indicator == soci::i_ok) {
      if (scope_state < static_cast<int>(LicenseState::kActive) ||
          scope_state > static_cast<int>(LicenseState::kTerminated)) {
        return Corrupt(job_id, absl::StrCat("unknown scope state ", scope_state));
      }
      record.scope.state = static_cast<LicenseState>(scope_state);
    }
    record.scope.license_class = scope_license_class;
    record.scope.key_number_prefix = scope_key_number_prefix;
    if (scope_usable_until_before_indicator == soci::i_ok) {
      record.scope.usable_until_before = FromStoredMicros(scope_usable_until_before);
    }
    record.created_by = created_by;
    record.create_time = FromStoredMicros(created_at);
    if (ended_at_indicator == soci::i_ok) record.end_time = FromStoredMicros(ended_at);
    record.counts = SyncJobCounts{total, processed, in_sync, not_in_sync, errors, skipped};
    record.chunk_count = chunk_count;
    record.chunks_done = chunks_done;
    record.cancel_requested = cancel_requested != 0;
    record.error = error;
    record.bulk = bulk != 0;
    return record;
  }
};

// One row of kSyncChunkColumns as SOCI delivers it.
struct SyncChunkRow {
  std::string job_id;
  long long chunk_index = 0;
  long long first_license_id = 0;
  long long last_license_id = 0;
  long long license_count = 0;
  std::string owner;
  long long lease_expires_at = 0;
  int attempts = 0;
  std::string page_token;
  soci::indicator page_token_indicator = soci::i_ok;

  // In kSyncChunkColumns order.
  void BindTo(soci::statement& statement) {
    statement.exchange(soci::into(job_id));
    statement.exchange(soci::into(chunk_index));
    statement.exchange(soci::into(first_license_id));
    statement.exchange(soci::into(last_license_id));
    statement.exchange(soci::into(license_count));
    statement.exchange(soci::into(owner));
    statement.exchange(soci::into(lease_expires_at));
    statement.exchange(soci::into(attempts));
    statement.exchange(soci::into(page_token, page_token_indicator));
  }

  SyncChunk ToChunk() const {
    return SyncChunk{job_id,
                     chunk_index,
                     first_license_id,
                     last_license_id,
                     license_count,
                     owner,
                     FromStoredMicros(lease_expires_at),
                     attempts,
                     page_token_indicator == soci::i_ok ? absl::optional<std::string>(page_token)
                                                        : absl::nullopt};
  }
};

}  // namespace

absl::StatusOr<std::vector<SyncJobRecord>> QuerySyncJobs(soci::session& session,
                                                         const std::string& sql,
                                                         const SqlParams& params) {
  SyncJobRow row;
  std::vector<SyncJobRecord> records;
  absl::Status status = ForEachRow(
      session, sql, params, [&](soci::statement& statement) { row.BindTo(statement); },
      [&]() -> absl::Status {
        absl::StatusOr<SyncJobRecord> converted = row.ToRecord();
        if (!converted.ok()) return converted.status();
        records.push_back(*std::move(converted));
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return records;
}

std::vector<SyncChunk> QuerySyncChunks(soci::session& session, const std::string& sql,
                                       const SqlParams& params) {
  SyncChunkRow row;
  std::vector<SyncChunk> chunks;
  // Chunk rows always convert: ForEachRow's only error is SOCI's (thrown).
  ForEachRow(
      session, sql, params, [&](soci::statement& statement) { row.BindTo(statement); },
      [&]() -> absl::Status {
        chunks.push_back(row.ToChunk());
        return absl::OkStatus();
      })
      .IgnoreError();
  return chunks;
}

}  // namespace lss::storage
