// What both halves of SqlSyncJobRepository use, internal to storage/sql:
// the job life-cycle and range chunks (sql_sync_job_repository.cc) and the
// bulk-job pages (sql_sync_job_pages.cc). The states as stored, the
// condition and error of a chunk held by its caller's claim, and the
// reading of a job row.
//
// LoadExistingJob, MarkDoneUnderClaim and AddToJobCounts throw SOCI's
// exceptions: call them inside SqlRunner work.
// Everything else is pure; thread-safe.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/sql/dialect.h"
#include "storage/sql/license_sync_batch.h"
#include "storage/sql/sql_statement.h"
#include "storage/sql/sync_job_rows.h"
#include "storage/sync_job_model.h"

namespace soci {
class session;
}  // namespace soci

namespace lss::storage {

inline constexpr int kRunning = static_cast<int>(SyncJobState::kRunning);
inline constexpr int kWaiting = static_cast<int>(ChunkState::kWaiting);
inline constexpr int kPending = static_cast<int>(ChunkState::kPending);
inline constexpr int kClaimed = static_cast<int>(ChunkState::kClaimed);
inline constexpr int kDone = static_cast<int>(ChunkState::kDone);

// "SELECT <kSyncJobColumns> FROM sync_jobs <rest>", for QuerySyncJobs.
std::string SelectJobs(absl::string_view rest);

// " AND <a license of bulk job `job` that no page of it covered yet>": in
// the job's scope (the SQL that cut its chunks), no newer than the job (up
// to `max_license_id`, its last range's end), not written by the job.
// Filters only: the rows are found by key_base or license_id.
LicenseConditions UncoveredLicensesOf(const Dialect& dialect, const SyncJobRecord& job, int64_t max_license_id);

// The key lookups of a SyncAll page, exposed so that a test can EXPLAIN
// them on each backend (their plan is what keeps SyncAll linear: see
// Dialect::TableUsingIndex). `conditions` (" AND ...") only filter.
//   The licenses of `key_count` key bases, all columns (LicensesForKeys).
std::string LicensesForKeysSql(const Dialect& dialect, size_t key_count, absl::string_view conditions);
//   The sync fields of `id_count` licenses, locked (LockSyncFields).
std::string LockSyncFieldsSql(const Dialect& dialect, size_t id_count, absl::string_view conditions);

// FAILED_PRECONDITION (SYNC_CHUNK_LEASE_LOST): `chunk` is no longer held
// by the claim its caller made.
absl::Status LeaseLost(const SyncChunk& chunk);

// Job `job_id`; NOT_FOUND (SYNC_JOB_NOT_FOUND) when there is none.
absl::StatusOr<SyncJobRecord> LoadExistingJob(soci::session& session, absl::string_view job_id);

// The chunk is still held by its caller's claim: same owner, same claim
// (attempts), not done. Values by AppendHeldByValues.
inline constexpr char kHeldBy[] =
    "job_id = :job_id AND chunk_index = :chunk_index AND owner = :owner "
    "AND attempts = :attempts AND state = :claimed";

void AppendHeldByValues(const SyncChunk& chunk, SqlParams& params);

// Appended to kHeldBy: the kind of chunk the caller says it holds, so that
// a range is never completed as a page nor the other way round.
inline constexpr char kIsRange[] = " AND page_token IS NULL";
inline constexpr char kIsPage[] = " AND page_token IS NOT NULL";

// Marks `chunk` done while its caller's claim holds (kHeldBy plus
// `kind`, kIsRange or kIsPage); false when it no longer does. The first
// step of a completion: a chunk is counted by the one completion that
// finds it still claimed.
bool MarkDoneUnderClaim(soci::session& session, const SyncChunk& chunk, const char* kind);

// Grows the running job's counters by `counts` (and chunks_done by one for
// a range); false when the job is no longer running, so that the caller
// drops its results (SYNC_JOB_ENDED).
bool AddToJobCounts(soci::session& session, absl::string_view job_id, const SyncJobCounts& counts,
                    bool chunk_done);

// Frees the running slot, in the transaction that ends `job_id`.
void FreeSlot(soci::session& session, absl::string_view job_id);

// Ends running `job` SUCCEEDED at `now` once all its range chunks are done
// (as read in this transaction), freeing the slot; `job` then says so.
void SucceedIfEveryChunkDone(soci::session& session, SyncJobRecord& job, absl::Time now);

}  // namespace lss::storage
