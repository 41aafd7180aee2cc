// Where SyncAll jobs live: shared by every replica through the database, so
// that a job survives its caller, a crash of the replica running it, and is
// worked on by several replicas at once. Correctness rests on conditional
// updates whose affected-row count decides (a claim, a lease renewal, a
// chunk's completion), never on an engine's lock semantics (DESIGN.md §2).
//
// Thread-safe; blocking (call from worker threads). Errors as in
// license_repository.h, plus NOT_FOUND (SYNC_JOB_NOT_FOUND) for an unknown
// job, and INVALID_ARGUMENT naming the field for values the schema cannot
// hold (job_id over 64 characters, created_by over 255, a scope's
// license_class over 128 or key_number_prefix over 64; chunk_size, lease or
// limit below 1).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "storage/sync_job_model.h"

namespace lss {

inline constexpr absl::string_view kReasonSyncJobNotFound = "SYNC_JOB_NOT_FOUND";
// StartOrAttach with a job_id some job (running or ended) already has.
inline constexpr absl::string_view kReasonSyncJobAlreadyExists = "SYNC_JOB_ALREADY_EXISTS";
// The caller no longer holds the chunk's lease (RenewLease, CompleteChunk).
inline constexpr absl::string_view kReasonSyncChunkLeaseLost = "SYNC_CHUNK_LEASE_LOST";
// CompleteChunk for a job that ended (cancelled or failed) meanwhile.
inline constexpr absl::string_view kReasonSyncJobEnded = "SYNC_JOB_ENDED";

struct NewSyncJob {
  std::string job_id;  // chosen by the caller (unique, e.g. random)
  LicenseFilter scope;
  std::string created_by;
  int64_t chunk_size = 500;  // licenses per chunk
  // Read KA's account through ListKeys pages first (SyncJobRecord::bulk):
  // the range chunks wait until the last page is complete, then cover only
  // the licenses no page did.
  bool bulk = false;
};

// What StartOrAttach did.
struct StartedJob {
  SyncJobRecord job;
  // False: another job was running and `job` is that one (same scope or
  // not: the caller decides between attaching and refusing).
  bool created = false;
};

class SyncJobRepository {
 public:
  virtual ~SyncJobRepository() = default;

  // Creates the job and its chunks (the licenses matching the scope, in
  // license-id order, cut every chunk_size) in one transaction, unless a
  // job is running: at most one job runs per database, enforced by the
  // database itself (a unique slot taken in the same transaction). Then it
  // returns the running job with created == false.
  virtual absl::StatusOr<StartedJob> StartOrAttach(const NewSyncJob& job, absl::Time now) = 0;

  virtual absl::StatusOr<SyncJobRecord> Get(absl::string_view job_id) = 0;
  // The running job, if any.
  virtual absl::StatusOr<absl::optional<SyncJobRecord>> Running() = 0;
  // Newest first; `before_create_micros`/`before_job_id` is the keyset
  // cursor of the previous page (0/"" for the first page).
  virtual absl::StatusOr<std::vector<SyncJobRecord>> List(absl::optional<SyncJobState> state,
                                                          int64_t before_create_micros,
                                                          absl::string_view before_job_id, int limit) = 0;

  // Claims the lowest chunk of the running job that is unclaimed or whose
  // lease expired before `now` (a dead replica's), for `owner` until
  // `now + lease`. Unset when nothing is left to claim, or when the job is
  // not running or asked to stop. The returned chunk's `attempts` identifies
  // this claim: RenewLease and CompleteChunk act only while it is the
  // chunk's latest.
  virtual absl::StatusOr<absl::optional<SyncChunk>> ClaimChunk(absl::string_view job_id,
                                                               absl::string_view owner, absl::Time now,
                                                               absl::Duration lease) = 0;

  // Extends a lease the owner still holds. FAILED_PRECONDITION
  // (SYNC_CHUNK_LEASE_LOST) when it no longer does.
  virtual absl::Status RenewLease(const SyncChunk& chunk, absl::Time now, absl::Duration lease) = 0;

  // Releases every lease `owner` holds, so that other replicas take the
  // chunks at once (on SIGTERM).
  virtual absl::Status ReleaseLeases(absl::string_view owner) = 0;

  // Commits a chunk in one transaction: every outcome is written to its
  // license and sync history (multi-row statements; a license whose order is
  // being placed counts as skipped and is left alone; a result equal to the
  // stored one leaves the license's version alone), the chunk is marked
  // done, and the job's counters grow by the chunk's counts. Only while
  // `chunk.owner` still holds the lease: otherwise nothing is written and
  // the answer is FAILED_PRECONDITION (SYNC_CHUNK_LEASE_LOST), so a chunk's
  // licenses are counted exactly once whoever finishes it. When it was the
  // job's last chunk, the job ends SUCCEEDED in the same transaction.
  // Returns the job after the commit.
  //
  // An outcome for a license that no longer exists counts as skipped; a
  // failed attempt without an error text is recorded with a generic one.
  // FAILED_PRECONDITION (SYNC_JOB_ENDED), nothing written, when the job was
  // cancelled or failed meanwhile. INVALID_ARGUMENT, nothing written, for
  // outcomes that cannot belong to the chunk (a license outside its range
  // or named twice, a NEVER_SYNCED result), and for a page (CompletePage).
  virtual absl::StatusOr<SyncJobRecord> CompleteChunk(const SyncChunk& chunk,
                                                      const std::vector<LicenseSyncOutcome>& outcomes,
                                                      absl::Time now) = 0;

  // Asks the job to stop; it ends CANCELLED (results so far kept) and frees
  // the running slot. Ending an ended job changes nothing. Chunks still in
  // flight are not written: their CompleteChunk fails SYNC_JOB_ENDED.
  virtual absl::StatusOr<SyncJobRecord> Cancel(absl::string_view job_id, absl::Time now) = 0;
  // Ends the job FAILED with `error` and frees the running slot.
  virtual absl::StatusOr<SyncJobRecord> Fail(absl::string_view job_id, absl::string_view error,
                                             absl::Time now) = 0;

  // Licenses of a chunk's range that match the job's scope, in id order;
  // for a bulk job only those no page of the job covered.
  virtual absl::StatusOr<std::vector<LicenseRecord>> LicensesOf(const SyncJobRecord& job,
                                                                const SyncChunk& chunk) = 0;

  // Bulk jobs. The licenses of the job (its scope, created before it
  // started) holding one of `key_bases` ("PREFIX.NNNNNNNN") that no page of
  // the job covered yet, in id order.
  virtual absl::StatusOr<std::vector<LicenseRecord>> LicensesForKeys(
      const SyncJobRecord& job, const std::vector<std::string>& key_bases) = 0;

  // Commits a page as CompleteChunk commits a range, except that its
  // outcomes may name any license of the job: one outside the job (another
  // scope, created after the job started, or gone) or already covered by
  // another page is left alone and not counted. So is a skipped outcome or
  // a license whose order is being placed: it stays uncovered, and the
  // range sweep counts it once.
  //
  // `next_page_token` is KA's token for the page after this one: the same
  // commit records that page as claimable, so the pages form a chain with
  // one unfinished at a time (a runner fetches the next one from KA while
  // this one is compared and written). Empty when KA had no further page:
  // the range chunks then become claimable in this transaction, unless a
  // page recorded ahead (by an earlier release) is still in flight; then
  // its commit opens them. A range all of whose licenses the pages wrote
  // is done when they open (it counts in chunks_done), and when that is
  // every range the job ends SUCCEEDED at `now` in the same commit. Pages
  // themselves do not count in chunk_count / chunks_done. INVALID_ARGUMENT, nothing written, for a range chunk or a
  // token over 255 characters.
  virtual absl::StatusOr<SyncJobRecord> CompletePage(const SyncChunk& page,
                                                     const std::vector<LicenseSyncOutcome>& outcomes,
                                                     absl::string_view next_page_token, absl::Time now) = 0;

  // Removes jobs that ended before `cutoff`, with their chunks; returns how
  // many (the daily run's retention).
  virtual absl::StatusOr<int64_t> PruneEndedBefore(absl::Time cutoff) = 0;
};

}  // namespace lss
