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

}  // namespace lss::storage
