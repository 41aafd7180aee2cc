#include "bench/chunk_write_load.h"

#include <algorithm>
#include <string>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/stats.h"

namespace lss::bench {
namespace {

constexpr char kOwner[] = "bench-chunk-writer";

bool ById(const LicenseSyncOutcome& outcome, int64_t id) { return outcome.license_id < id; }

// Claims and completes the job's chunks in order until none is left,
// counting into `result`.
absl::Status WriteAllChunks(SyncJobRepository& jobs, const SyncJobRecord& job,
                            const std::vector<LicenseSyncOutcome>& outcomes, ChunkWriteResult& result) {
  const absl::Time start = absl::Now();
  while (true) {
    absl::StatusOr<absl::optional<SyncChunk>> chunk =
        jobs.ClaimChunk(job.job_id, kOwner, absl::Now(), absl::Minutes(10));
    if (!chunk.ok()) return chunk.status();
    if (!chunk->has_value()) break;
    const SyncChunk& claimed = **chunk;
    // The read SyncAll makes before asking KA, timed apart from the writes.
    const absl::Time read_start = absl::Now();
    absl::StatusOr<std::vector<LicenseRecord>> read = jobs.LicensesOf(job, claimed);
    if (!read.ok()) return read.status();
    result.read_elapsed += absl::Now() - read_start;
    auto first = std::lower_bound(outcomes.begin(), outcomes.end(), claimed.first_license_id, ById);
    auto last = std::lower_bound(first, outcomes.end(), claimed.last_license_id + 1, ById);
    const std::vector<LicenseSyncOutcome> chunk_outcomes(first, last);
    absl::StatusOr<SyncJobRecord> completed = jobs.CompleteChunk(claimed, chunk_outcomes, absl::Now());
    if (!completed.ok()) return completed.status();
    result.rows += static_cast<int64_t>(chunk_outcomes.size());
    ++result.chunks;
  }
  result.elapsed = absl::Now() - start - result.read_elapsed;
  return absl::OkStatus();
}

}  // namespace

double ChunkWriteResult::PerSecond() const { return Rate(rows, elapsed); }
double ChunkWriteResult::ReadPerSecond() const { return Rate(rows, read_elapsed); }

std::vector<LicenseSyncOutcome> InSyncOutcomes(const std::vector<LicenseRecord>& licenses, absl::Time now) {
  std::vector<LicenseSyncOutcome> outcomes;
  outcomes.reserve(licenses.size());
  for (const LicenseRecord& license : licenses) {
    LicenseSyncOutcome outcome;
    outcome.license_id = license.license_id;
    outcome.result = license.sync;
    // Imported licenses are In Sync; a never-synced one gets the In Sync
    // result a sync would give it (a job may not record NEVER_SYNCED).
    if (outcome.result->status == SyncStatus::kNeverSynced) {
      outcome.result = SyncResult{SyncStatus::kInSync, {}, "In Sync"};
    }
    outcome.ka_key_number = license.config.key_number;
    outcome.sync_time = now;
    outcomes.push_back(std::move(outcome));
  }
  std::sort(outcomes.begin(), outcomes.end(),
            [](const LicenseSyncOutcome& a, const LicenseSyncOutcome& b) { return a.license_id < b.license_id; });
  return outcomes;
}

absl::StatusOr<ChunkWriteResult> MeasureChunkWrites(SyncJobRepository& jobs,
                                                    const std::vector<LicenseSyncOutcome>& outcomes, int64_t batch) {
  absl::BitGen random;
  NewSyncJob new_job;
  new_job.job_id = absl::StrCat("bench-d-", batch, "-", absl::Uniform<uint32_t>(random));
  new_job.scope.state = LicenseState::kActive;  // SyncAll's default scope
  new_job.created_by = kOwner;
  new_job.chunk_size = batch;

  ChunkWriteResult result;
  result.batch = batch;
  const absl::Time created = absl::Now();
  absl::StatusOr<StartedJob> started = jobs.StartOrAttach(new_job, created);
  if (!started.ok()) return started.status();
  if (!started->created) {
    return absl::FailedPreconditionError(
        absl::StrCat("job ", started->job.job_id, " is running; the chunk writes need the database to themselves"));
  }
  result.job_start = absl::Now() - created;

  if (absl::Status written = WriteAllChunks(jobs, started->job, outcomes, result); !written.ok()) {
    // A job left running would refuse every later SyncAll.
    (void)jobs.Cancel(new_job.job_id, absl::Now());
    return written;
  }
  absl::StatusOr<SyncJobRecord> job = jobs.Get(new_job.job_id);
  if (!job.ok()) return job.status();
  if (job->state != SyncJobState::kSucceeded) {
    return absl::InternalError(absl::StrCat("chunk-write job ", job->job_id, " did not end SUCCEEDED"));
  }
  return result;
}

}  // namespace lss::bench
