// The bulk reads and writes of a SyncAll chunk's commit, on the licenses
// and sync_history tables: read the licenses' sync fields under lock, then
// write what ChunkOutcomePlan decided, each backend the fastest way it
// allows:
//   SQLite  one prepared UPDATE, reused for every license: SQLite runs in
//           process, a statement costs no round trip, and re-executing a
//           compiled statement beats parsing multi-row statements (NOTES.md
//           "Measured floors"). It checks each license's version.
//   MySQL   one UPDATE per kind of write (changed result, failed attempt),
//           each setting only the columns that kind changes, the
//           per-license values picked by CASE over the chunk's ids
//           (multi_row_update.h): a few statements per chunk instead of one
//           per license, no temporary table, no dummy values. The rows are
//           locked FOR UPDATE since the read, so no version can move; the
//           matched-row count checks that every license was written.
// Confirmed results, most of any SyncAll, are set-based on both: one
// "UPDATE ... WHERE license_id IN (...)" per sync time (the runner compares
// a page at one time) for up to a thousand licenses, setting the same
// last_synced_at and sync_job_id on each.
// History entries (changed results and failed attempts only) are
// multi-row INSERTs on both.
//
// These functions throw SOCI's exceptions: call them inside SqlRunner work,
// in a write transaction. Thread-compatible (one session, one thread).
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "storage/sql/chunk_outcome_plan.h"
#include "storage/sql/dialect.h"
#include "storage/sql/sql_statement.h"
#include "storage/sync_job_model.h"

namespace soci {
class session;
}  // namespace soci

namespace lss::storage {

// Conditions a locking read adds to "license_id IN (...)": " AND ..." on
// columns of `licenses` (":name" placeholders), and their values in order.
// A bulk job's page reads only the licenses of its job that no other page
// covered this way, in the statement that locks them.
struct LicenseConditions {
  std::string sql;
  SqlParams params;
};

// The sync fields of the licenses the outcomes name (skipped outcomes
// excepted) that also satisfy `only`, read with Dialect::ForUpdate() so
// that nobody changes them before the transaction ends. Licenses that do
// not exist (or fail `only`) are absent.
std::vector<StoredSyncFields> LockSyncFields(soci::session& session, const Dialect& dialect,
                                             const std::vector<LicenseSyncOutcome>& outcomes,
                                             const LicenseConditions& only = {});

// Writes `writes` to their licenses, each marked as last synced by job
// `job_id` (licenses.sync_job_id, migration 0006). ABORTED (DATABASE_ERROR)
// when a license is no longer as read (gone, or another version): the
// caller rolls back.
absl::Status WriteLicenseSyncs(soci::session& session, const Dialect& dialect,
                               absl::string_view job_id,
                               const std::vector<LicenseSyncWrite>& writes);

// Appends one sync_history entry per changed result and failed attempt
// (not per confirmed result: chunk_outcome_plan.h), tagged with `job_id`.
void InsertSyncHistory(soci::session& session, const Dialect& dialect, absl::string_view job_id,
                       const std::vector<LicenseSyncWrite>& writes);

}  // namespace lss::storage
