// Our own chunk writes, reported beside D of DESIGN.md §5 but not a floor
// (a floor is never our code; the bare D is bare_sync_writes.h): how fast
// our storage takes SyncAll's writes when nothing else happens. SyncAll
// commits each chunk of licenses with SyncJobRepository::CompleteChunk (one
// transaction of multi-row statements: the licenses' sync columns, their
// history rows, the chunk and the job's counters) after claiming it with
// ClaimChunk; this does exactly that through the same repository, on the
// same database, with outcomes prepared beforehand, so no KA and no server
// are in the way: the gap between it and the bare D is our storage's cost.
//
// Blocking; call from one thread at a time.
#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "storage/sync_job_repository.h"

namespace lss::bench {

struct ChunkWriteResult {
  int64_t batch = 0;  // licenses per chunk, i.e. rows per multi-row write
  int64_t rows = 0;   // licenses written
  int64_t chunks = 0;
  absl::Duration elapsed;    // every ClaimChunk and CompleteChunk
  absl::Duration job_start;  // StartOrAttach (cutting the chunks), not in `elapsed`
  // Reading each chunk's licenses (LicensesOf), as SyncAll does before it
  // asks KA: not part of D, not in `elapsed`; a diagnostic.
  absl::Duration read_elapsed;

  double PerSecond() const;
  double ReadPerSecond() const;
};

// The outcomes SyncAll would write when KA agrees with billing: each
// license's stored result again (so versions stay, as with a real sync that
// finds nothing new) and KA's key number equal to billing's.
std::vector<LicenseSyncOutcome> InSyncOutcomes(const std::vector<LicenseRecord>& licenses, absl::Time now);

// Runs one job over all ACTIVE licenses in chunks of `batch`, claiming,
// reading and completing every chunk in order as one replica would; D is
// the claims and completions. `outcomes` must
// cover the licenses, sorted by license id. Fails if another job is
// running (one job per database).
absl::StatusOr<ChunkWriteResult> MeasureChunkWrites(SyncJobRepository& jobs,
                                                    const std::vector<LicenseSyncOutcome>& outcomes, int64_t batch);

}  // namespace lss::bench
