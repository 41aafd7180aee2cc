#include "bench/bare_sync_writes.h"

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/stats.h"

namespace lss::bench {
namespace {

constexpr char kTable[] = "bench_sync_columns";
constexpr char kStage[] = "bench_sync_stage";
constexpr char kColumns[] = "id, sync_status, last_synced_at, sync_job_id, mismatches";
// Rows per statement while filling the table (untimed).
constexpr int64_t kFillBatch = 1000;

// The types of the licenses table's sync columns (storage/migrations).
// On SQLite the key is INTEGER PRIMARY KEY, the rowid itself, as
// license_id is there; BIGINT PRIMARY KEY would add an index beside it.
std::string CreateTable(Backend backend, absl::string_view name, bool temporary) {
  return absl::StrCat("CREATE ", temporary ? "TEMPORARY " : "", "TABLE ", name, " (id ",
                      backend == Backend::kSqlite ? "INTEGER" : "BIGINT NOT NULL",
                      " PRIMARY KEY, sync_status INT NOT NULL, last_synced_at BIGINT NULL, "
                      "sync_job_id VARCHAR(64) NOT NULL, mismatches TEXT NOT NULL)");
}

// What one pass writes into every row: new values each pass, so that every
// row really changes (MariaDB skips rows whose values stay), and of the
// sizes SyncAll writes (a job id as license-server makes them; an In Sync
// license has no mismatches).
struct PassValues {
  int sync_status = 0;
  long long last_synced_at = 0;
  std::string sync_job_id;
  std::string mismatches;
};

PassValues ValuesOfPass(int pass) {
  PassValues values;
  values.sync_status = 1 + pass % 2;
  values.last_synced_at = absl::ToUnixMicros(absl::Now());
  values.sync_job_id = absl::StrFormat("job-%016x", static_cast<uint64_t>(pass) * 0x9E3779B97F4A7C15u);
  return values;
}

// "(first,...),(first+1,...)...": rows [first, first + count) as SQL
// literals (the values are digits and [a-z0-9-], nothing to escape).
std::string ValuesList(int64_t first, int64_t count, const PassValues& v) {
  std::string out;
  out.reserve(static_cast<size_t>(count) * 48);
  for (int64_t id = first; id < first + count; ++id) {
    absl::StrAppend(&out, id == first ? "" : ",", "(", id, ",", v.sync_status, ",", v.last_synced_at, ",'",
                    v.sync_job_id, "','", v.mismatches, "')");
  }
  return out;
}

// Runs `text` and checks how many rows it reported changing.
void ExecuteExpecting(soci::session& sql, const std::string& text, long long affected) {
  soci::statement statement = (sql.prepare << text);
  statement.execute(true);
  if (statement.get_affected_rows() != affected) {
    throw std::runtime_error(absl::StrCat("expected ", affected, " affected rows, got ", statement.get_affected_rows(),
                                          " from ", text.substr(0, 80)));
  }
}

// Calls `batch_body(first_id, count)` for consecutive batches covering
// rows 1..rows, each in a transaction of its own.
template <typename Body>
void InBatches(soci::session& sql, int64_t rows, int64_t batch, Body batch_body) {
  for (int64_t first = 1; first <= rows; first += batch) {
    const int64_t count = std::min(batch, rows - first + 1);
    sql.begin();
    batch_body(first, count);
    sql.commit();
  }
}

void Fill(soci::session& sql, Backend backend, int64_t rows) {
  sql << absl::StrCat("DROP TABLE IF EXISTS ", kTable);
  sql << CreateTable(backend, kTable, /*temporary=*/false);
  const PassValues initial = ValuesOfPass(0);
  InBatches(sql, rows, kFillBatch, [&](int64_t first, int64_t count) {
    ExecuteExpecting(
        sql, absl::StrCat("INSERT INTO ", kTable, " (", kColumns, ") VALUES ", ValuesList(first, count, initial)),
        count);
  });
}

// MariaDB counts an upserted row that changed as 2 affected rows.
void UpsertPass(soci::session& sql, int64_t rows, int64_t batch, const PassValues& values) {
  InBatches(sql, rows, batch, [&](int64_t first, int64_t count) {
    ExecuteExpecting(sql,
                     absl::StrCat("INSERT INTO ", kTable, " (", kColumns, ") VALUES ", ValuesList(first, count, values),
                                  " ON DUPLICATE KEY UPDATE sync_status = VALUES(sync_status), "
                                  "last_synced_at = VALUES(last_synced_at), sync_job_id = VALUES(sync_job_id), "
                                  "mismatches = VALUES(mismatches)"),
                     2 * count);
  });
}

// The whole pass staged first (a multi-row INSERT per batch into a
// temporary table, which InnoDB does not log), then one UPDATE ... JOIN of
// every row: one transaction of all the rows, not SyncAll's shape (a
// commit per page), which is why it is reported beside the floor, not as
// its D.
void TempTableJoinPass(soci::session& sql, int64_t rows, int64_t batch, const PassValues& values) {
  sql << CreateTable(Backend::kMariaDb, kStage, /*temporary=*/true);
  for (int64_t first = 1; first <= rows; first += batch) {
    const int64_t count = std::min(batch, rows - first + 1);
    ExecuteExpecting(
        sql, absl::StrCat("INSERT INTO ", kStage, " (", kColumns, ") VALUES ", ValuesList(first, count, values)),
        count);
  }
  ExecuteExpecting(sql,
                   absl::StrCat("UPDATE ", kTable, " t JOIN ", kStage,
                                " s ON t.id = s.id SET t.sync_status = s.sync_status, "
                                "t.last_synced_at = s.last_synced_at, t.sync_job_id = s.sync_job_id, "
                                "t.mismatches = s.mismatches"),
                   rows);
  sql << absl::StrCat("DROP TEMPORARY TABLE ", kStage);
}

void PreparedUpdatePass(soci::session& sql, int64_t rows, int64_t batch, PassValues values) {
  long long id = 0;
  soci::statement update =
      (sql.prepare << absl::StrCat("UPDATE ", kTable,
                                   " SET sync_status = :status, last_synced_at = :synced, sync_job_id = :job, "
                                   "mismatches = :mismatches WHERE id = :id"),
       soci::use(values.sync_status), soci::use(values.last_synced_at), soci::use(values.sync_job_id),
       soci::use(values.mismatches), soci::use(id));
  InBatches(sql, rows, batch, [&](int64_t first, int64_t count) {
    for (id = first; id < first + count; ++id) {
      update.execute(true);
      if (update.get_affected_rows() != 1) throw std::runtime_error(absl::StrCat("row ", id, " was not updated"));
    }
  });
}

}  // namespace

absl::string_view BareWriteMethodName(BareWriteMethod method) {
  switch (method) {
    case BareWriteMethod::kUpsert:
      return "multi-row INSERT ... ON DUPLICATE KEY UPDATE";
    case BareWriteMethod::kTempTableJoin:
      return "temporary table + UPDATE ... JOIN";
    case BareWriteMethod::kPreparedUpdate:
      return "prepared UPDATE per row, a transaction per batch";
  }
  return "?";
}

std::vector<BareWriteMethod> BareWriteMethods(Backend backend) {
  if (backend == Backend::kSqlite) return {BareWriteMethod::kPreparedUpdate};
  return {BareWriteMethod::kUpsert, BareWriteMethod::kTempTableJoin};
}

double BareWriteResult::PerSecond() const { return Rate(rows, elapsed); }

absl::StatusOr<std::vector<BareWriteResult>> MeasureBareSyncWrites(const SqlTarget& target, int64_t rows,
                                                                   const std::vector<int64_t>& batches,
                                                                   absl::FunctionRef<absl::Status()> before_each_pass) {
  absl::StatusOr<std::unique_ptr<soci::session>> session = OpenBareSession(target);
  if (!session.ok()) return session.status();
  soci::session& sql = **session;
  if (absl::Status filled = RunSql("filling the table", [&] { Fill(sql, target.backend, rows); }); !filled.ok()) {
    return filled;
  }
  std::vector<BareWriteResult> results;
  absl::Status status;
  int pass = 0;
  for (BareWriteMethod method : BareWriteMethods(target.backend)) {
    for (int64_t batch : batches) {
      if (status = before_each_pass(); !status.ok()) break;
      const PassValues values = ValuesOfPass(++pass);
      BareWriteResult result{method, batch, rows, absl::ZeroDuration()};
      const absl::Time start = absl::Now();
      status = RunSql(absl::StrCat(BareWriteMethodName(method), " at batch ", batch), [&] {
        switch (method) {
          case BareWriteMethod::kUpsert:
            return UpsertPass(sql, rows, batch, values);
          case BareWriteMethod::kTempTableJoin:
            return TempTableJoinPass(sql, rows, batch, values);
          case BareWriteMethod::kPreparedUpdate:
            return PreparedUpdatePass(sql, rows, batch, values);
        }
      });
      result.elapsed = absl::Now() - start;
      if (!status.ok()) break;
      results.push_back(result);
    }
    if (!status.ok()) break;
  }
  // A transaction a failure left open would keep the table's locks.
  (void)RunSql("rolling back", [&] { sql.rollback(); });
  (void)RunSql("dropping the table", [&] { sql << absl::StrCat("DROP TABLE IF EXISTS ", kTable); });
  if (!status.ok()) return status;
  return results;
}

}  // namespace lss::bench
