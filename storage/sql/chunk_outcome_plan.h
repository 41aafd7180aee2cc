// What committing a SyncAll chunk does to each of its licenses, decided in
// C++ from the licenses' stored sync fields (read under lock in the same
// transaction) before anything is written, so that the writes can be a few
// multi-row statements (license_sync_batch.h):
//   - an outcome for a license whose upgrade order is being placed, one the
//     runner skipped, or one whose license no longer exists: counted
//     skipped, nothing written;
//   - a result equal to the stored one: the time of the check moves
//     (last_synced_at, last_sync_error cleared), the version (etag) stays;
//   - a different result: the sync fields change, the version is bumped and
//     updated_at set;
//   - a failed attempt: only last_sync_error changes.
// A changed result and a failed attempt also get a sync history entry; a
// confirmed one does not: the history records what changed (first sync,
// status, the set of mismatches) and the attempts that failed, so that an
// unchanged license costs one set-based write and no history row.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/optional.h"
#include "storage/sync_job_model.h"

namespace lss::storage {

// The columns of a license that decide what its outcome writes.
struct StoredSyncFields {
  int64_t license_id = 0;
  std::string key_number;  // billing's, recorded in the history entry
  int sync_status = 0;
  std::string mismatches;  // as stored: value_codec.h's encoding
  std::string sync_message;
  std::string last_sync_error;
  int64_t version = 0;
  bool order_placing = false;
};

enum class LicenseSyncWriteKind {
  kResultChanged,    // new sync result: sync fields, version + 1, updated_at
  kResultConfirmed,  // same result: last_synced_at (and the error cleared, if any)
  kAttemptFailed,    // last_sync_error only
};

// One license's write and its history entry.
struct LicenseSyncWrite {
  LicenseSyncWriteKind kind = LicenseSyncWriteKind::kAttemptFailed;
  const LicenseSyncOutcome* outcome = nullptr;  // points into the caller's outcomes
  std::string key_number;                       // billing's, for the history entry
  int64_t expected_version = 0;                 // the version read under lock
  std::string encoded_mismatches;               // kResultChanged only
  std::string error;                            // kAttemptFailed only
  // kResultConfirmed: the license holds the error of an earlier attempt,
  // which this success clears. Most confirmations have none to clear, and
  // leaving the column alone makes their update cheaper.
  bool clears_error = false;
};

struct ChunkOutcomePlan {
  std::vector<LicenseSyncWrite> writes;  // in the order of the outcomes
  SyncJobCounts counts;                  // total stays 0: it is the job's, not the chunk's
};

// INVALID_ARGUMENT naming the field when an outcome cannot belong to
// `chunk`: a license outside its id range (a range chunk; a bulk job's
// page may name any license), a license twice, a result with status
// NEVER_SYNCED, a KA key number longer than the schema stores. Such
// outcomes are a bug of the caller, refused before anything is written.
absl::Status ValidateChunkOutcomes(const SyncChunk& chunk,
                                   const std::vector<LicenseSyncOutcome>& outcomes);

// The writes and counts of `outcomes` (validated) given the `stored` fields
// of their licenses (any order; licenses that no longer exist absent).
// A failed attempt without a message is recorded with a generic one: an
// empty last_sync_error would read as "the last attempt succeeded".
ChunkOutcomePlan PlanChunkOutcomes(const std::vector<LicenseSyncOutcome>& outcomes,
                                   const std::vector<StoredSyncFields>& stored);

}  // namespace lss::storage
