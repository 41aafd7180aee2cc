// The `sync_jobs` and `sync_job_chunks` tables seen from C++ (migrations
// 0003 and 0006): the columns records are read from, the values a new job and its
// chunks are inserted with, and the conversion between rows and records.
//
// The Query* functions throw SOCI's exceptions: call them inside SqlRunner
// work. Everything else is pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "storage/sql/sql_statement.h"
#include "storage/sync_job_model.h"
#include "storage/sync_job_repository.h"

namespace soci {
class session;
}  // namespace soci

namespace lss::storage {

// sync_job_chunks.state. Pending and claimed chunks are the claimable ones
// (a claimed one once its lease has expired); done ones are never touched
// again. Waiting ones (a bulk job's ranges while its pages are read) are
// invisible to claims until they are made pending (migration 0006).
enum class ChunkState { kWaiting = 0, kPending = 1, kClaimed = 2, kDone = 3 };

// The SELECT list QuerySyncJobs reads, in its order; also the column list
// of an INSERT of a new job (kSyncJobColumnCount values).
extern const absl::string_view kSyncJobColumns;
inline constexpr size_t kSyncJobColumnCount = 21;

// Appends the kSyncJobColumns values of a job that starts now: RUNNING,
// every counter 0 (StartOrAttach sets total and chunk_count once the
// chunks are cut).
void AppendNewSyncJobValues(const NewSyncJob& job, absl::Time now, SqlParams& params);

// Runs `sql`, a "SELECT <kSyncJobColumns> FROM sync_jobs ...", and converts
// its rows. DATA_LOSS (DATABASE_ERROR) for a row that does not decode.
absl::StatusOr<std::vector<SyncJobRecord>> QuerySyncJobs(soci::session& session,
                                                         const std::string& sql,
                                                         const SqlParams& params);

// The SELECT list QuerySyncChunks reads, in its order.
extern const absl::string_view kSyncChunkColumns;

// The column list of an INSERT of a new chunk, and its values: unclaimed
// in `state` (pending, or waiting), a range when `page_token` is unset, a
// page of a bulk job otherwise.
extern const absl::string_view kSyncChunkInsertColumns;
inline constexpr size_t kSyncChunkInsertColumnCount = 10;
void AppendNewChunkValues(absl::string_view job_id, int64_t chunk_index, int64_t first_license_id,
                          int64_t last_license_id, int64_t license_count, ChunkState state,
                          const absl::optional<std::string>& page_token, SqlParams& params);

// Runs `sql`, a "SELECT <kSyncChunkColumns> FROM sync_job_chunks ...", and
// converts its rows.
std::vector<SyncChunk> QuerySyncChunks(soci::session& session, const std::string& sql,
                                       const SqlParams& params);

}  // namespace lss::storage
