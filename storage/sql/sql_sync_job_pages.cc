// The bulk-job side of SqlSyncJobRepository: the pages of KA's ListKeys
// that a bulk job reads before it sweeps its ranges.
#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"
#include "soci/soci.h"
#include "storage/sql/chunk_outcome_plan.h"
#include "storage/sql/field_checks.h"
#include "storage/sql/license_filter_sql.h"
#include "storage/sql/license_rows.h"
#include "storage/sql/license_sync_batch.h"
#include "storage/sql/sql_statement.h"
#include "storage/sql/sql_sync_job_repository.h"
#include "storage/sql/sync_job_rows.h"
#include "storage/sql/sync_job_sql.h"

namespace lss::storage {
namespace {

// Key bases per "key_base IN (...)" read of LicensesForKeys: a KA page
// (up to 10,000 keys) in a few statements, each a thousand lookups of the
// unique key_base index, far below SQLite's 32,766 bound parameters.
constexpr size_t kKeyBasesPerRead = 1000;

absl::Status NotAPage(const SyncChunk& chunk) {
  return InvalidArgumentError(
      "page", absl::StrCat("chunk ", chunk.chunk_index, " of sync job ", chunk.job_id,
                           " is a range of license ids, not a page of a bulk job"));
}

// The highest license id of `job`: its last range chunk's, found by primary
// key. Ids grow, so a license created after the job started is above it.
// 0 for a job over no license.
int64_t MaxLicenseIdOf(soci::session& session, const SyncJobRecord& job) {
  if (job.chunk_count == 0) return 0;
  return QueryInt(session,
                  "SELECT last_license_id FROM sync_job_chunks "
                  "WHERE job_id = :job_id AND chunk_index = :chunk_index",
                  SqlParams().Text(job.job_id).Int(job.chunk_count - 1))
      .value_or(0);
}

}  // namespace

absl::StatusOr<std::vector<LicenseRecord>> SqlSyncJobRepository::LicensesForKeys(
    const SyncJobRecord& job, const std::vector<std::string>& key_bases) {
  // Each base once, so that statements split anywhere return each license
  // once.
  std::vector<std::string> bases = key_bases;
  std::sort(bases.begin(), bases.end());
  bases.erase(std::unique(bases.begin(), bases.end()), bases.end());
  if (bases.empty()) return std::vector<LicenseRecord>();
  const Dialect& dialect = runner_.dialect();

  return runner_.Run(
      "read the licenses of a ListKeys page",
      [&](soci::session& session) -> absl::StatusOr<std::vector<LicenseRecord>> {
        const LicenseConditions uncovered = UncoveredLicensesOf(dialect, job, MaxLicenseIdOf(session, job));
        std::vector<LicenseRecord> licenses;
        for (size_t begin = 0; begin < bases.size(); begin += kKeyBasesPerRead) {
          const size_t count = std::min(kKeyBasesPerRead, bases.size() - begin);
          SqlParams params;
          for (size_t i = begin; i < begin + count; ++i) params.Text(bases[i]);
          params.Append(uncovered.params);
          // The unique key_base index finds each license; the other
          // conditions filter the few rows found.
          const std::string sql = LicensesForKeysSql(dialect, count, uncovered.sql);
          absl::StatusOr<std::vector<LicenseRecord>> read = QueryLicenses(session, sql, params);
          if (!read.ok()) return read.status();
          licenses.insert(licenses.end(), std::make_move_iterator(read->begin()),
                          std::make_move_iterator(read->end()));
        }
        // Sorted here rather than by each statement: one sort of the page
        // instead of a merge of the statements' orders.
        std::sort(licenses.begin(), licenses.end(),
                  [](const LicenseRecord& a, const LicenseRecord& b) {
                    return a.license_id < b.license_id;
                  });
        return licenses;
      });
}

absl::StatusOr<SyncJobRecord> SqlSyncJobRepository::CompletePage(
    const SyncChunk& page, const std::vector<LicenseSyncOutcome>& outcomes,
    absl::string_view next_page_token, absl::Time now) {
  if (!page.is_page()) return NotAPage(page);
  absl::Status valid = ValidateChunkOutcomes(page, outcomes);
  if (!valid.ok()) return valid;
  valid = CheckLength("next_page_token", next_page_token, kMaxPageTokenLength);
  if (!valid.ok()) return valid;
  const Dialect& dialect = runner_.dialect();

  return runner_.RunInTransaction(
      "complete sync page", [&](soci::session& session) -> absl::StatusOr<SyncJobRecord> {
        // (a) The claim decides, as in CompleteChunk.
        if (!MarkDoneUnderClaim(session, page, kIsPage)) return LeaseLost(page);
        // The next page becomes claimable with this commit, so that a page
        // is never done without its successor recorded (or the pages would
        // end here and the licenses of KA's later pages be swept one by
        // one). IGNORE: replicas of the release before this one recorded
        // the next page ahead, in a transaction of its own; during a
        // rolling upgrade their record stays.
        if (!next_page_token.empty()) {
          SqlParams next;
          AppendNewChunkValues(page.job_id, page.chunk_index + 1, 0, 0, 0, ChunkState::kPending,
                               std::string(next_page_token), next);
          ExecuteSql(session,
                     absl::StrCat(dialect.InsertIgnore(), " INTO sync_job_chunks (",
                                  kSyncChunkInsertColumns, ") VALUES ",
                                  dialect.RowPlaceholders(0, kSyncChunkInsertColumnCount)),
                     next);
        }
        // Scope and size are fixed at the start: a plain read, no lock.
        absl::StatusOr<SyncJobRecord> started = LoadExistingJob(session, page.job_id);
        if (!started.ok()) return started.status();

        // (b) The licenses of the outcomes that are the job's and that no
        // other page wrote, read under lock: a page that wrote one of them
        // meanwhile commits first, and this read then leaves it out.
        const LicenseConditions uncovered =
            UncoveredLicensesOf(dialect, *started, MaxLicenseIdOf(session, *started));
        const std::vector<StoredSyncFields> stored = LockSyncFields(session, dialect, outcomes, uncovered);
        // (c) Only those are written and counted. A skipped outcome, a
        // license whose order is being placed, or one that changed since
        // the runner compared it (its result may be stale) is left for the
        // range sweep (it stays uncovered): counting it here would count it
        // twice.
        absl::flat_hash_map<int64_t, int64_t> writable_versions;
        writable_versions.reserve(stored.size());
        for (const StoredSyncFields& fields : stored) {
          if (!fields.order_placing) writable_versions[fields.license_id] = fields.version;
        }
        std::vector<LicenseSyncOutcome> kept;
        kept.reserve(writable_versions.size());
        for (const LicenseSyncOutcome& outcome : outcomes) {
          auto writable = writable_versions.find(outcome.license_id);
          if (outcome.skipped || writable == writable_versions.end()) continue;
          if (outcome.compared_version.has_value() && *outcome.compared_version != writable->second) continue;
          kept.push_back(outcome);
        }
        const ChunkOutcomePlan plan = PlanChunkOutcomes(kept, stored);
        absl::Status written = WriteLicenseSyncs(session, dialect, page.job_id, plan.writes);
        if (!written.ok()) return written;
        InsertSyncHistory(session, dialect, page.job_id, plan.writes);

        // (d) The job's counters, only while it runs; pages are not chunks
        // of chunk_count, so chunks_done stays.
        if (!AddToJobCounts(session, page.job_id, plan.counts, /*chunk_done=*/false)) {
          return WithReason(absl::FailedPreconditionError(absl::StrCat(
                                "sync job ", page.job_id, " ended before page ", page.chunk_index,
                                " was completed; its results are dropped")),
                            kReasonSyncJobEnded);
        }

        // (e) The ranges become claimable once every page is done: a range
        // swept while a page is in flight could count its licenses twice.
        // This release keeps one page unfinished at a time (each is
        // recorded by its predecessor's commit), but a page recorded ahead
        // by an earlier release's replica may still be in flight when the
        // last one completes; then that one opens them. Done pages stay
        // done and a new page is only recorded by completing an unfinished
        // one, so "no page unfinished" never changes back. Read after the
        // job row's lock (taken by the UPDATE above), which serialises
        // concurrent page commits: the second sees the first's page done.
        const bool pages_in_flight =
            QueryInt(session,
                     "SELECT chunk_index FROM sync_job_chunks WHERE job_id = :job_id "
                     "AND state IN (:pending, :claimed) AND chunk_index >= :first_page LIMIT 1",
                     SqlParams()
                         .Text(page.job_id)
                         .Int(kPending)
                         .Int(kClaimed)
                         .Int(started->chunk_count))
                .has_value();
        if (!pages_in_flight) {
          // A range all of whose licenses the pages wrote has nothing to
          // sweep: it is done here, all such ranges in one statement, rather
          // than each claimed, read and committed for no license (at 100k
          // licenses, 200 of a job's 300 commits). The others open. (Each
          // placeholder's name is its own: SQLite binds a repeated name
          // once, and `uncovered` names the job too.)
          SqlParams covered = SqlParams().Int(kDone).Text(page.job_id).Int(kWaiting);
          covered.Append(uncovered.params);
          const long long swept_by_pages = ExecuteSql(
              session,
              absl::StrCat("UPDATE sync_job_chunks SET state = :done "
                           "WHERE job_id = :chunk_job_id AND state = :waiting AND NOT EXISTS ("
                           "SELECT 1 FROM licenses WHERE license_id >= sync_job_chunks.first_license_id "
                           "AND license_id <= sync_job_chunks.last_license_id",
                           uncovered.sql, ")"),
              covered);
          ExecuteSql(session,
                     "UPDATE sync_job_chunks SET state = :pending "
                     "WHERE job_id = :job_id AND state = :waiting",
                     SqlParams().Int(kPending).Text(page.job_id).Int(kWaiting));
          if (swept_by_pages > 0) {
            ExecuteSql(session,
                       "UPDATE sync_jobs SET chunks_done = chunks_done + :swept "
                       "WHERE job_id = :job_id AND state = :running",
                       SqlParams().Int(swept_by_pages).Text(page.job_id).Int(kRunning));
          }
        }
        // The job ends here when the pages covered every license.
        absl::StatusOr<SyncJobRecord> job = LoadExistingJob(session, page.job_id);
        if (!job.ok()) return job.status();
        SucceedIfEveryChunkDone(session, *job, now);
        return job;
      });
}

}  // namespace lss::storage
