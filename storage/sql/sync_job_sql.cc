#include "storage/sql/sync_job_sql.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/types/optional.h"
#include "common/status/error_details.h"
#include "soci/soci.h"
#include "storage/sync_job_repository.h"

namespace lss::storage {
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

}  // namespace lss::storage
