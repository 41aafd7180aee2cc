#include "storage/sql/sql_sync_job_repository.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/error_details.h"
#include "soci/soci.h"
#include "storage/license_repository.h"
#include "storage/sql/chunk_cutter.h"
#include "storage/sql/chunk_outcome_plan.h"
#include "storage/sql/field_checks.h"
#include "storage/sql/license_filter_sql.h"
#include "storage/sql/license_rows.h"
#include "storage/sql/license_sync_batch.h"
#include "storage/sql/sql_statement.h"
#include "storage/sql/stored_time.h"
#include "storage/sql/sync_job_rows.h"
#include "storage/sql/sync_job_sql.h"

namespace lss::storage {
namespace {

// StartOrAttach finds the slot taken, then the job holding it gone when it
// reads it: that job ended in between, and starting again will most likely
// succeed. More than a few rounds means jobs start and end in a tight loop.
constexpr int kMaxStartAttempts = 3;

// ClaimChunk reads this many candidates at once, so that replicas racing
// for the lowest chunk fall back on the next ones without another read...
constexpr int kClaimCandidates = 16;
// ... and reads again at most this often when every candidate was taken
// under it: 128 lost races in one call would take as many rival claimers.
constexpr int kMaxClaimRounds = 8;

// Jobs removed per PruneEndedBefore transaction: a 1M-license job has about
// 2,000 chunks, so a transaction deletes some 20,000 rows at most.
constexpr int kJobsPerPrune = 10;

std::string SelectChunks(absl::string_view rest) {
  return absl::StrCat("SELECT ", kSyncChunkColumns, " FROM sync_job_chunks ", rest);
}

absl::Status CheckLease(absl::Duration lease) {
  if (lease > absl::ZeroDuration()) return absl::OkStatus();
  return InvalidArgumentError("lease", "must be positive");
}

absl::Status CheckOwner(absl::string_view owner) {
  // An empty owner is how a pending chunk reads: a claim must name one.
  if (owner.empty()) return InvalidArgumentError("owner", "is required");
  return CheckLength("owner", owner, kMaxOwnerLength);
}

absl::Status ValidateNewJob(const NewSyncJob& job) {
  if (job.job_id.empty()) return InvalidArgumentError("job_id", "is required");
  if (job.chunk_size < 1) {
    return InvalidArgumentError("chunk_size",
                                absl::StrCat("must be at least 1, not ", job.chunk_size));
  }
  for (absl::Status status : {
           CheckLength("job_id", job.job_id, kMaxJobIdLength),
           CheckLength("created_by", job.created_by, kMaxCreatedByLength),
           CheckLength("scope.license_class", job.scope.license_class, kMaxLicenseClassLength),
           CheckLength("scope.key_number_prefix", job.scope.key_number_prefix,
                       kMaxKeyNumberLength),
       }) {
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

// The job holding the running slot: the slot, not the state column, is
// what decides which job runs.
absl::StatusOr<absl::optional<SyncJobRecord>> LoadRunningJob(soci::session& session) {
  absl::StatusOr<std::vector<SyncJobRecord>> rows = QuerySyncJobs(
      session,
      SelectJobs("WHERE job_id = (SELECT job_id FROM sync_job_running_slot WHERE slot = 1)"), {});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return absl::optional<SyncJobRecord>();
  return absl::optional<SyncJobRecord>(std::move(rows->front()));
}

// " AND <a chunk is claimable at `now`>": pending, or claimed under a lease
// that has expired (or was released). ClaimChunk's conditional UPDATE
// repeats it, so that it claims only a chunk that is still a candidate
// when it runs.
void AppendClaimable(absl::Time now, std::string& sql, SqlParams& params) {
  sql += " AND (state = :pending OR (state = :claimed AND lease_expires_at < :now))";
  params.Int(kPending).Int(kClaimed).Int(ToStoredMicros(now));
}

// The lowest kClaimCandidates chunks of `job_id` claimable at `now`, lowest
// first. Two reads, each one range of sync_job_chunks_claim already in
// chunk order: the pending chunks, and the claimed ones whose lease has
// expired. A single "state = pending OR ..." read would walk the primary key
// past every done chunk instead, the bulk of a job as it progresses.
std::vector<SyncChunk> ClaimCandidates(soci::session& session, absl::string_view job_id,
                                       absl::Time now) {
  std::vector<SyncChunk> candidates = QuerySyncChunks(
      session,
      SelectChunks("WHERE job_id = :job_id AND state = :pending ORDER BY chunk_index LIMIT :limit"),
      SqlParams().Text(std::string(job_id)).Int(kPending).Int(kClaimCandidates));
  std::vector<SyncChunk> expired = QuerySyncChunks(
      session,
      SelectChunks("WHERE job_id = :job_id AND state = :claimed AND lease_expires_at < :now "
                   "ORDER BY chunk_index LIMIT :limit"),
      SqlParams()
          .Text(std::string(job_id))
          .Int(kClaimed)
          .Int(ToStoredMicros(now))
          .Int(kClaimCandidates));
  candidates.insert(candidates.end(), std::make_move_iterator(expired.begin()),
                    std::make_move_iterator(expired.end()));
  std::sort(candidates.begin(), candidates.end(),
            [](const SyncChunk& a, const SyncChunk& b) { return a.chunk_index < b.chunk_index; });
  if (candidates.size() > static_cast<size_t>(kClaimCandidates)) {
    candidates.resize(static_cast<size_t>(kClaimCandidates));
  }
  return candidates;
}

}  // namespace

absl::StatusOr<StartedJob> SqlSyncJobRepository::StartOrAttach(const NewSyncJob& job,
                                                               absl::Time now) {
  absl::Status valid = ValidateNewJob(job);
  if (!valid.ok()) return valid;
  const Dialect& dialect = runner_.dialect();

  for (int attempt = 1; attempt <= kMaxStartAttempts; ++attempt) {
    // Unset: the slot was taken by a job that ended before it could be read.
    absl::StatusOr<absl::optional<StartedJob>> started = runner_.RunInTransaction(
        "start sync job",
        [&](soci::session& session) -> absl::StatusOr<absl::optional<StartedJob>> {
          // The slot first, so that a loser of the race does no work. On
          // MySQL the IGNOREd insert waits for a concurrent holder's
          // transaction to end, so a job being created is seen once it is
          // whole; one that ends before it is read makes this round retry.
          const long long took_slot = ExecuteSql(
              session,
              absl::StrCat(dialect.InsertIgnore(),
                           " INTO sync_job_running_slot (slot, job_id) VALUES (1, :job_id)"),
              SqlParams().Text(job.job_id));
          if (took_slot == 0) {
            absl::StatusOr<absl::optional<SyncJobRecord>> running = LoadRunningJob(session);
            if (!running.ok()) return running.status();
            if (!running->has_value()) return absl::optional<StartedJob>();
            return absl::optional<StartedJob>(StartedJob{**std::move(running), false});
          }

          SqlParams values;
          AppendNewSyncJobValues(job, now, values);
          ExecuteSql(session,
                     absl::StrCat("INSERT INTO sync_jobs (", kSyncJobColumns, ") VALUES ",
                                  dialect.RowPlaceholders(0, kSyncJobColumnCount)),
                     values);
          // A bulk job's ranges wait for its pages: they will hold only
          // the licenses no page covered, known once the last page is in.
          const CutChunks cut =
              CutIntoChunks(session, dialect, job.job_id, job.scope, job.chunk_size,
                            job.bulk ? ChunkState::kWaiting : ChunkState::kPending);
          // A job over no license is done as it starts: no chunk would
          // ever complete it.
          const bool empty = cut.chunk_count == 0;
          if (job.bulk && !empty) {
            // The first page, indexed after the ranges: the job's only
            // pending chunk, so the first claim reads it.
            SqlParams page;
            AppendNewChunkValues(job.job_id, cut.chunk_count, 0, 0, 0, ChunkState::kPending,
                                 std::string(), page);
            ExecuteSql(session,
                       absl::StrCat("INSERT INTO sync_job_chunks (", kSyncChunkInsertColumns,
                                    ") VALUES ",
                                    dialect.RowPlaceholders(0, kSyncChunkInsertColumnCount)),
                       page);
          }
          SqlParams totals;
          totals.Int(cut.license_count)
              .Int(cut.chunk_count)
              .Int(static_cast<int>(empty ? SyncJobState::kSucceeded : SyncJobState::kRunning));
          if (empty) {
            totals.Int(ToStoredMicros(now));
          } else {
            totals.Null();
          }
          totals.Text(job.job_id);
          ExecuteSql(session,
                     "UPDATE sync_jobs SET total = :total, chunk_count = :chunk_count, "
                     "state = :state, ended_at = :ended_at WHERE job_id = :job_id",
                     totals);
          if (empty) FreeSlot(session, job.job_id);

          absl::StatusOr<SyncJobRecord> created = LoadExistingJob(session, job.job_id);
          if (!created.ok()) return created.status();
          return absl::optional<StartedJob>(StartedJob{*std::move(created), true});
        });
    if (absl::IsAlreadyExists(started.status())) {
      // The slot is taken with IGNORE and chunks are new rows of a new job:
      // only the job's primary key can collide.
      return WithReason(
          absl::AlreadyExistsError(absl::StrCat("a sync job with id ", job.job_id, " exists")),
          kReasonSyncJobAlreadyExists);
    }
    if (!started.ok()) return started.status();
    if (started->has_value()) return **std::move(started);
  }
  return WithReason(absl::UnavailableError("sync jobs kept ending while this one tried to "
                                           "start or attach; retry"),
                    kReasonDatabaseUnavailable);
}

absl::StatusOr<SyncJobRecord> SqlSyncJobRepository::Get(absl::string_view job_id) {
  return runner_.Run("get sync job",
                     [&](soci::session& session) { return LoadExistingJob(session, job_id); });
}

absl::StatusOr<absl::optional<SyncJobRecord>> SqlSyncJobRepository::Running() {
  return runner_.Run("get running sync job",
                     [&](soci::session& session) { return LoadRunningJob(session); });
}

absl::StatusOr<std::vector<SyncJobRecord>> SqlSyncJobRepository::List(
    absl::optional<SyncJobState> state, int64_t before_create_micros,
    absl::string_view before_job_id, int limit) {
  absl::Status valid = CheckLimit(limit);
  if (!valid.ok()) return valid;
  std::vector<std::string> conditions;
  SqlParams params;
  if (state.has_value()) {
    conditions.push_back("state = :state");
    params.Int(static_cast<int>(*state));
  }
  if (before_create_micros != 0) {
    // Strictly after the cursor in (created_at DESC, job_id DESC) order, so
    // that jobs created in the same microsecond are neither lost nor
    // repeated between pages.
    conditions.push_back(
        "(created_at < :before_create OR (created_at = :same_create AND job_id < :before_job))");
    params.Int(before_create_micros).Int(before_create_micros).Text(std::string(before_job_id));
  }
  std::string sql = SelectJobs(
      conditions.empty() ? "" : absl::StrCat("WHERE ", absl::StrJoin(conditions, " AND ")));
  sql += " ORDER BY created_at DESC, job_id DESC LIMIT :limit";
  params.Int(limit);
  return runner_.Run("list sync jobs",
                     [&](soci::session& session) { return QuerySyncJobs(session, sql, params); });
}

absl::StatusOr<absl::optional<SyncChunk>> SqlSyncJobRepository::ClaimChunk(absl::string_view job_id,
                                                                           absl::string_view owner,
                                                                           absl::Time now,
                                                                           absl::Duration lease) {
  absl::Status valid = CheckOwner(owner);
  if (valid.ok()) valid = CheckLease(lease);
  if (!valid.ok()) return valid;
  const long long lease_expires_at = ToStoredMicros(now + lease);

  // No transaction: each claim is one conditional UPDATE that commits on its
  // own, and whatever another replica did between the read and the UPDATE
  // makes it match no row.
  return runner_.Run(
      "claim sync chunk", [&](soci::session& session) -> absl::StatusOr<absl::optional<SyncChunk>> {
        absl::StatusOr<SyncJobRecord> job = LoadExistingJob(session, job_id);
        if (!job.ok()) return job.status();
        // A claim that races a cancellation is harmless: the chunk's
        // CompleteChunk finds the job ended and writes nothing.
        if (job->state != SyncJobState::kRunning || job->cancel_requested) {
          return absl::optional<SyncChunk>();
        }
        for (int round = 0; round < kMaxClaimRounds; ++round) {
          std::vector<SyncChunk> candidates = ClaimCandidates(session, job_id, now);
          if (candidates.empty()) return absl::optional<SyncChunk>();
          for (SyncChunk& candidate : candidates) {
            std::string claim =
                "UPDATE sync_job_chunks SET state = :new_state, owner = :owner, "
                "lease_expires_at = :lease_expires_at, attempts = attempts + 1 "
                "WHERE job_id = :job_id AND chunk_index = :chunk_index AND attempts = :attempts";
            SqlParams claim_params;
            claim_params.Int(kClaimed)
                .Text(std::string(owner))
                .Int(lease_expires_at)
                .Text(candidate.job_id)
                .Int(candidate.chunk_index)
                .Int(candidate.attempts);
            AppendClaimable(now, claim, claim_params);
            if (ExecuteSql(session, claim, claim_params) != 1) continue;  // another claim won
            candidate.owner = std::string(owner);
            candidate.lease_expires = FromStoredMicros(lease_expires_at);
            candidate.attempts += 1;
            return absl::optional<SyncChunk>(std::move(candidate));
          }
        }
        return WithReason(absl::UnavailableError(
                              absl::StrCat("every chunk of sync job ", job_id,
                                           " this replica tried was claimed by another; retry")),
                          kReasonDatabaseUnavailable);
      });
}

absl::Status SqlSyncJobRepository::RenewLease(const SyncChunk& chunk, absl::Time now,
                                              absl::Duration lease) {
  absl::Status valid = CheckLease(lease);
  if (!valid.ok()) return valid;
  const std::string sql = absl::StrCat(
      "UPDATE sync_job_chunks SET lease_expires_at = :lease_expires_at WHERE ", kHeldBy);
  SqlParams params;
  params.Int(ToStoredMicros(now + lease));
  AppendHeldByValues(chunk, params);
  return runner_.Run("renew sync chunk lease", [&](soci::session& session) {
    return ExecuteSql(session, sql, params) == 1 ? absl::OkStatus() : LeaseLost(chunk);
  });
}

absl::Status SqlSyncJobRepository::ReleaseLeases(absl::string_view owner) {
  absl::Status valid = CheckOwner(owner);
  if (!valid.ok()) return valid;
  // Only the running job's chunks: an ended job's leases matter to no one.
  // The owner keeps its name on the chunk, but its claim is now expired, so
  // any replica takes it over at once. Should the job end between the two
  // statements, the UPDATE touches an ended job's chunks: harmless.
  return runner_.Run("release sync chunk leases", [&](soci::session& session) -> absl::Status {
    absl::StatusOr<absl::optional<SyncJobRecord>> running = LoadRunningJob(session);
    if (!running.ok()) return running.status();
    if (!running->has_value()) return absl::OkStatus();
    ExecuteSql(session,
               "UPDATE sync_job_chunks SET lease_expires_at = :released "
               "WHERE job_id = :job_id AND state = :claimed AND owner = :owner",
               SqlParams().Int(0).Text((*running)->job_id).Int(kClaimed).Text(std::string(owner)));
    return absl::OkStatus();
  });
}

absl::StatusOr<SyncJobRecord> SqlSyncJobRepository::CompleteChunk(
    const SyncChunk& chunk, const std::vector<LicenseSyncOutcome>& outcomes, absl::Time now) {
  if (chunk.is_page()) {
    return InvalidArgumentError(
        "chunk", absl::StrCat("chunk ", chunk.chunk_index, " of sync job ", chunk.job_id,
                              " is a page of a bulk job: complete it with CompletePage"));
  }
  absl::Status valid = ValidateChunkOutcomes(chunk, outcomes);
  if (!valid.ok()) return valid;
  const Dialect& dialect = runner_.dialect();

  return runner_.RunInTransaction(
      "complete sync chunk", [&](soci::session& session) -> absl::StatusOr<SyncJobRecord> {
        // (a) The claim decides, before anything is read or written: a chunk
        // is counted by the one completion that finds it still claimed.
        if (!MarkDoneUnderClaim(session, chunk, kIsRange)) return LeaseLost(chunk);

        // (b)-(e) The licenses, read under lock, decided, written in bulk.
        const ChunkOutcomePlan plan =
            PlanChunkOutcomes(outcomes, LockSyncFields(session, dialect, outcomes));
        absl::Status written = WriteLicenseSyncs(session, dialect, chunk.job_id, plan.writes);
        if (!written.ok()) return written;
        InsertSyncHistory(session, dialect, chunk.job_id, plan.writes);

        // (f) The job's counters, only while it runs.
        const bool counted = AddToJobCounts(session, chunk.job_id, plan.counts, /*chunk_done=*/true);
        absl::StatusOr<SyncJobRecord> job = LoadExistingJob(session, chunk.job_id);
        if (!job.ok()) return job.status();
        if (!counted) {
          return WithReason(absl::FailedPreconditionError(absl::StrCat(
                                "sync job ", chunk.job_id, " ended before chunk ",
                                chunk.chunk_index, " was completed; its results are dropped")),
                            kReasonSyncJobEnded);
        }
        SucceedIfEveryChunkDone(session, *job, now);
        return job;
      });
}

absl::StatusOr<SyncJobRecord> SqlSyncJobRepository::Cancel(absl::string_view job_id,
                                                           absl::Time now) {
  return End("cancel sync job", job_id, SyncJobState::kCancelled, "", now);
}

absl::StatusOr<SyncJobRecord> SqlSyncJobRepository::Fail(absl::string_view job_id,
                                                         absl::string_view error, absl::Time now) {
  return End("fail sync job", job_id, SyncJobState::kFailed, error, now);
}

absl::StatusOr<SyncJobRecord> SqlSyncJobRepository::End(absl::string_view action,
                                                        absl::string_view job_id,
                                                        SyncJobState state, absl::string_view error,
                                                        absl::Time now) {
  // cancel_requested records that someone asked for the end; a failure is
  // the job's own doing.
  const bool cancel = state == SyncJobState::kCancelled;
  return runner_.RunInTransaction(
      action, [&](soci::session& session) -> absl::StatusOr<SyncJobRecord> {
        const long long ended =
            ExecuteSql(session,
                       "UPDATE sync_jobs SET state = :state, ended_at = :ended_at, "
                       "cancel_requested = :cancel_requested, error = :error "
                       "WHERE job_id = :job_id AND state = :running",
                       SqlParams()
                           .Int(static_cast<int>(state))
                           .Int(ToStoredMicros(now))
                           .Int(cancel ? 1 : 0)
                           .Text(std::string(error))
                           .Text(std::string(job_id))
                           .Int(kRunning));
        if (ended == 1) FreeSlot(session, job_id);
        return LoadExistingJob(session, job_id);
      });
}

absl::StatusOr<std::vector<LicenseRecord>> SqlSyncJobRepository::LicensesOf(
    const SyncJobRecord& job, const SyncChunk& chunk) {
  std::string sql = absl::StrCat("SELECT ", kLicenseColumns,
                                 " FROM licenses WHERE license_id >= :first_license_id"
                                 " AND license_id <= :last_license_id");
  SqlParams params;
  params.Int(chunk.first_license_id).Int(chunk.last_license_id);
  if (job.bulk) {
    // The range sweep of a bulk job: its pages wrote the others.
    sql += " AND sync_job_id <> :job_id";
    params.Text(job.job_id);
  }
  AppendLicenseFilter(job.scope, sql, params);
  sql += " ORDER BY license_id";
  return runner_.Run("read the licenses of a sync chunk",
                     [&](soci::session& session) { return QueryLicenses(session, sql, params); });
}

absl::StatusOr<int64_t> SqlSyncJobRepository::PruneEndedBefore(absl::Time cutoff) {
  const Dialect& dialect = runner_.dialect();
  const long long cutoff_micros = ToStoredMicros(cutoff);
  int64_t pruned = 0;
  // A few jobs per transaction: locks stay short and the log small however
  // many jobs are due. Each round removes what it found, so it ends.
  for (;;) {
    absl::StatusOr<long long> removed = runner_.RunInTransaction(
        "prune sync jobs", [&](soci::session& session) -> absl::StatusOr<long long> {
          SqlParams ids;
          std::string job_id;
          soci::statement statement(session);
          SqlParams query_params = SqlParams().Int(cutoff_micros).Int(kJobsPerPrune);
          query_params.BindTo(statement);
          statement.exchange(soci::into(job_id));
          statement.alloc();
          statement.prepare(
              "SELECT job_id FROM sync_jobs WHERE ended_at < :cutoff "
              "ORDER BY ended_at, job_id LIMIT :limit");
          statement.define_and_bind();
          for (bool got = statement.execute(true); got; got = statement.fetch()) ids.Text(job_id);
          if (ids.size() == 0) return 0;

          const std::string in_list = dialect.RowPlaceholders(0, ids.size());
          // Chunks first: they reference their job.
          ExecuteSql(session, absl::StrCat("DELETE FROM sync_job_chunks WHERE job_id IN ", in_list),
                     ids);
          return ExecuteSql(session,
                            absl::StrCat("DELETE FROM sync_jobs WHERE job_id IN ", in_list), ids);
        });
    if (!removed.ok()) return removed.status();
    if (*removed == 0) return pruned;
    pruned += *removed;
  }
}

}  // namespace lss::storage
