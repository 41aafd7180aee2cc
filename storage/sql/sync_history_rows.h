// The `sync_history` table seen from C++: the columns a SyncHistoryEntry is
// read from and the values an entry is inserted with.
//
// QuerySyncHistory throws SOCI's exceptions: call it inside SqlRunner work.
// Everything else is pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "storage/license_model.h"
#include "storage/sql/sql_statement.h"

namespace lss::storage {

// The SELECT list QuerySyncHistory reads, in its order.
extern const absl::string_view kSyncHistoryColumns;

// An INSERT of one entry (entry_id is generated), and its values:
// `result` unset for a failed attempt, whose `error` says why.
extern const absl::string_view kInsertSyncHistory;
// The column list of kInsertSyncHistory, for multi-row INSERTs of entries
// (MultiRowInsert), and how many values AppendSyncHistoryValues appends.
extern const absl::string_view kSyncHistoryInsertColumns;
inline constexpr size_t kSyncHistoryInsertColumnCount = 9;
void AppendSyncHistoryValues(int64_t license_id, absl::string_view key_number,
                             absl::string_view ka_key_number, absl::Time sync_time,
                             const absl::optional<SyncResult>& result, absl::string_view error,
                             absl::string_view job_id, SqlParams& params);

// Runs `sql`, a "SELECT <kSyncHistoryColumns> FROM sync_history ...", and
// converts its rows. DATA_LOSS (DATABASE_ERROR) for a row that does not
// decode.
absl::StatusOr<std::vector<SyncHistoryEntry>> QuerySyncHistory(soci::session& session,
                                                               const std::string& sql,
                                                               const SqlParams& params);

}  // namespace lss::storage
