// SyncJobRepository over SQL (SQLite or MySQL/MariaDB through SOCI): the
// sync_jobs, sync_job_chunks and sync_job_running_slot tables of migration
// 0003 (bulk jobs' columns: 0006), and the licenses and sync_history tables
// a chunk's commit writes.
//
// How it stays correct with many replicas (DESIGN.md §2):
//   - One running job: StartOrAttach inserts row 1 of sync_job_running_slot
//     (INSERT IGNORE: 0 rows inserted means a job runs) in the transaction
//     that creates the job; every transaction that ends a job deletes it.
//   - Claims and leases are conditional UPDATEs of one chunk row, repeating
//     the condition that made it a candidate and the claim count it was
//     read with; the affected-row count (1 or 0) decides.
//   - CompleteChunk first marks the chunk done WHERE the caller still owns
//     the claim; only if that changed a row does it read the chunk's
//     licenses under lock (FOR UPDATE on MySQL; SQLite's BEGIN IMMEDIATE
//     already excludes other writers) and write them. The job's counters
//     grow by UPDATE ... SET n = n + :delta, never a read-then-write.
//   - Locks are taken in one order, chunk row -> licenses -> job row ->
//     slot, so concurrent completions and cancellations cannot deadlock one
//     another; a start locks the slot, then only rows it creates (it reads
//     licenses without locks).
//   - Claims read their candidates from the sync_job_chunks_claim index, so
//     a claim costs the same at the start and at the end of a 1M-license
//     job.
//   - Bulk jobs (migration 0006): pages are chunk rows after the ranges,
//     claimed and leased alike; the ranges wait (state 0, which no claim
//     reads) until a page commit finds no page pending or claimed, read
//     after that commit took the job row's lock, so that of two pages
//     committing at once the second sees the first done. A page writes
//     only licenses whose sync_job_id is not yet its job's, tested in the
//     locking read, and sets it: a license is counted by one page, or
//     by the range sweep, once. The commit that opens the ranges updates
//     their rows after the job row, against the order above; no one else
//     ever holds a waiting range's row, so no cycle can form.
//
// Thread-safe, as SyncJobRepository requires: each call runs on its own
// pooled connection.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "storage/sql/sql_runner.h"
#include "storage/sync_job_repository.h"

namespace lss::storage {

class SqlSyncJobRepository final : public SyncJobRepository {
 public:
  explicit SqlSyncJobRepository(ConnectionPool& pool) : runner_(pool) {}

  absl::StatusOr<StartedJob> StartOrAttach(const NewSyncJob& job, absl::Time now) override;
  absl::StatusOr<SyncJobRecord> Get(absl::string_view job_id) override;
  absl::StatusOr<absl::optional<SyncJobRecord>> Running() override;
  absl::StatusOr<std::vector<SyncJobRecord>> List(absl::optional<SyncJobState> state,
                                                  int64_t before_create_micros,
                                                  absl::string_view before_job_id,
                                                  int limit) override;
  absl::StatusOr<absl::optional<SyncChunk>> ClaimChunk(absl::string_view job_id,
                                                       absl::string_view owner, absl::Time now,
                                                       absl::Duration lease) override;
  absl::Status RenewLease(const SyncChunk& chunk, absl::Time now, absl::Duration lease) override;
  absl::Status ReleaseLeases(absl::string_view owner) override;
  absl::StatusOr<SyncJobRecord> CompleteChunk(const SyncChunk& chunk,
                                              const std::vector<LicenseSyncOutcome>& outcomes,
                                              absl::Time now) override;
  absl::StatusOr<SyncJobRecord> Cancel(absl::string_view job_id, absl::Time now) override;
  absl::StatusOr<SyncJobRecord> Fail(absl::string_view job_id, absl::string_view error,
                                     absl::Time now) override;
  absl::StatusOr<std::vector<LicenseRecord>> LicensesOf(const SyncJobRecord& job,
                                                        const SyncChunk& chunk) override;
  absl::StatusOr<std::vector<LicenseRecord>> LicensesForKeys(
      const SyncJobRecord& job, const std::vector<std::string>& key_bases) override;
  absl::StatusOr<SyncJobRecord> CompletePage(const SyncChunk& page,
                                             const std::vector<LicenseSyncOutcome>& outcomes,
                                             absl::string_view next_page_token,
                                             absl::Time now) override;
  absl::StatusOr<int64_t> PruneEndedBefore(absl::Time cutoff) override;

 private:
  // Ends a running job as `state` (CANCELLED or FAILED); an ended one is
  // returned unchanged.
  absl::StatusOr<SyncJobRecord> End(absl::string_view action, absl::string_view job_id,
                                    SyncJobState state, absl::string_view error, absl::Time now);

  SqlRunner runner_;
};

}  // namespace lss::storage
