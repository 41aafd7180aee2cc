#include "storage/sql/sync_job_sql.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/types/optional.h"
#include "common/status/error_details.h"
#include "soci/soci.h"
#include "storage/sql/license_filter_sql.h"
#include "storage/sql/license_rows.h"
#include "storage/sql/sql_statement.h"
#include "storage/sql/stored_time.h"
#include "storage/sync_job_repository.h"

namespace lss::storage {

// " AND <a license of bulk job `job` that no page of it covered yet>": in
// the job's scope (the SQL that cut its chunks), no newer than the job, not
// written by the job. `max_license_id` is MaxLicenseIdOf(job). Filters
// only: the rows are found by key_base or license_id (Dialect::FilterOnly).
LicenseConditions UncoveredLicensesOf(const Dialect& dialect, const SyncJobRecord& job, int64_t max_license_id) {
  LicenseConditions conditions;
  conditions.sql = absl::StrCat(" AND ", dialect.FilterOnly("license_id"), " <= :max_license_id AND ",
                                dialect.FilterOnly("sync_job_id"), " <> :job_id");
  conditions.params.Int(max_license_id).Text(job.job_id);
  AppendLicenseFilterOnly(job.scope, dialect, conditions.sql, conditions.params);
  return conditions;
}

std::string LicensesForKeysSql(const Dialect& dialect, size_t key_count, absl::string_view conditions) {
  return absl::StrCat("SELECT ", kLicenseColumns, " FROM ", dialect.TableUsingIndex("licenses", "licenses_key_base"),
                      " WHERE key_base IN ", dialect.RowPlaceholders(0, key_count), conditions);
}

std::string LockSyncFieldsSql(const Dialect& dialect, size_t id_count, absl::string_view conditions) {
  return absl::StrCat(
      "SELECT license_id, key_number, sync_status, mismatches, sync_message, last_sync_error, version, "
      "order_placing FROM ",
      dialect.TableUsingIndex("licenses", "PRIMARY"), " WHERE license_id IN ", dialect.RowPlaceholders(0, id_count),
      conditions, dialect.ForUpdate());
}
namespace {

absl::Status JobNotFound(absl::string_view job_id) {
  return WithReason(absl::NotFoundError(absl::StrCat("sync job ", job_id, " not found")),
                    kReasonSyncJobNotFound);
}

absl::StatusOr<absl::optional<SyncJobRecord>> LoadJob(soci::session& session,
                                                      absl::string_view job_id) {
  absl::StatusOr<std::vector<SyncJobRecord>> rows = QuerySyncJobs(
      session, SelectJobs("WHERE job_id = :job_id"), SqlParams().Text(std::string(job_id)));
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return absl::optional<SyncJobRecord>();
  return absl::optional<SyncJobRecord>(std::move(rows->front()));
}

}  // namespace

std::string SelectJobs(absl::string_view rest) {
  return absl::StrCat("SELECT ", kSyncJobColumns, " FROM sync_jobs ", rest);
}

absl::Status LeaseLost(const SyncChunk& chunk) {
  return WithReason(absl::FailedPreconditionError(absl::StrCat(
                        "chunk ", chunk.chunk_index, " of sync job ", chunk.job_id,
                        " is no longer held by ", chunk.owner, " under claim ", chunk.attempts,
                        ": its lease expired and another claim took it, or it is done")),
                    kReasonSyncChunkLeaseLost);
}

absl::StatusOr<SyncJobRecord> LoadExistingJob(soci::session& session, absl::string_view job_id) {
  absl::StatusOr<absl::optional<SyncJobRecord>> job = LoadJob(session, job_id);
  if (!job.ok()) return job.status();
  if (!job->has_value()) return JobNotFound(job_id);
  return **std::move(job);
}

void AppendHeldByValues(const SyncChunk& chunk, SqlParams& params) {
  params.Text(chunk.job_id)
      .Int(chunk.chunk_index)
      .Text(chunk.owner)
      .Int(chunk.attempts)
      .Int(kClaimed);
}

bool MarkDoneUnderClaim(soci::session& session, const SyncChunk& chunk, const char* kind) {
  SqlParams params;
  params.Int(kDone);
  AppendHeldByValues(chunk, params);
  return ExecuteSql(session, absl::StrCat("UPDATE sync_job_chunks SET state = :done WHERE ", kHeldBy, kind),
                    params) == 1;
}

bool AddToJobCounts(soci::session& session, absl::string_view job_id, const SyncJobCounts& counts,
                    bool chunk_done) {
  return ExecuteSql(session,
                    absl::StrCat("UPDATE sync_jobs SET processed = processed + :processed, "
                                 "in_sync = in_sync + :in_sync, not_in_sync = not_in_sync + :not_in_sync, "
                                 "errors = errors + :errors, skipped = skipped + :skipped",
                                 chunk_done ? ", chunks_done = chunks_done + 1" : "",
                                 " WHERE job_id = :job_id AND state = :running"),
                    SqlParams()
                        .Int(counts.processed)
                        .Int(counts.in_sync)
                        .Int(counts.not_in_sync)
                        .Int(counts.errors)
                        .Int(counts.skipped)
                        .Text(std::string(job_id))
                        .Int(kRunning)) == 1;
}

void FreeSlot(soci::session& session, absl::string_view job_id) {
  ExecuteSql(session, "DELETE FROM sync_job_running_slot WHERE slot = 1 AND job_id = :job_id",
             SqlParams().Text(std::string(job_id)));
}

void SucceedIfEveryChunkDone(soci::session& session, SyncJobRecord& job, absl::Time now) {
  if (job.state != SyncJobState::kRunning || job.chunks_done < job.chunk_count) return;
  ExecuteSql(session,
             "UPDATE sync_jobs SET state = :succeeded, ended_at = :ended_at "
             "WHERE job_id = :job_id AND state = :running",
             SqlParams()
                 .Int(static_cast<int>(SyncJobState::kSucceeded))
                 .Int(ToStoredMicros(now))
                 .Text(job.job_id)
                 .Int(kRunning));
  FreeSlot(session, job.job_id);
  job.state = SyncJobState::kSucceeded;
  job.end_time = AsStored(now);
}

}  // namespace lss::storage
