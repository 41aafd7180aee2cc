// D of DESIGN.md §5, bare: how fast the database itself takes a SyncAll's
// writes, measured by plain SQL through SOCI with none of our code
// (storage/ is not used). A table of its own holds a license row's sync
// columns (id, sync_status, last_synced_at, sync_job_id, mismatches),
// filled with as many rows as there are licenses; each pass then gives
// every row new values, a batch of rows at a time, each batch committed on
// its own as SyncAll commits each page:
//  - MariaDB: one multi-row INSERT ... ON DUPLICATE KEY UPDATE per batch
//    (the floor's D), and beside it (reported, not the floor: one
//    transaction of every row is not SyncAll's shape) a temporary table
//    filled by a multi-row INSERT per batch, then one UPDATE ... JOIN;
//  - SQLite: one reused prepared UPDATE per row, a transaction per batch
//    (on SQLite the fastest; multi-row upserts are slower there).
// Which of 100 to 1,000 rows a batch is best is found by trying them.
//
// Blocking; call from one thread at a time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bench/bare_sql_session.h"

namespace lss::bench {

enum class BareWriteMethod {
  kUpsert,          // MariaDB: multi-row INSERT ... ON DUPLICATE KEY UPDATE
  kTempTableJoin,   // MariaDB: multi-row INSERTs into a temporary table, then one UPDATE ... JOIN
  kPreparedUpdate,  // SQLite: a prepared UPDATE per row
};

// "INSERT ... ON DUPLICATE KEY UPDATE" and so on, for the report.
absl::string_view BareWriteMethodName(BareWriteMethod method);

// The methods measured on `backend`: the floor's first, then the ones
// reported beside it.
std::vector<BareWriteMethod> BareWriteMethods(Backend backend);

struct BareWriteResult {
  BareWriteMethod method = BareWriteMethod::kUpsert;
  int64_t batch = 0;  // rows per statement (kPreparedUpdate: per transaction)
  int64_t rows = 0;   // rows written in the pass
  absl::Duration elapsed;

  double PerSecond() const;
};

// Creates the table in `target`'s database (replacing one left behind),
// fills it with `rows` rows (untimed), then times one pass per method of
// BareWriteMethods and per batch size, calling `before_each_pass` (untimed)
// before each, and drops the table. An error ends the measurement.
absl::StatusOr<std::vector<BareWriteResult>> MeasureBareSyncWrites(const SqlTarget& target, int64_t rows,
                                                                   const std::vector<int64_t>& batches,
                                                                   absl::FunctionRef<absl::Status()> before_each_pass);

}  // namespace lss::bench
