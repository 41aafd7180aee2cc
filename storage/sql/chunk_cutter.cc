#include "storage/sql/chunk_cutter.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "soci/soci.h"
#include "storage/sql/license_filter_sql.h"
#include "storage/sql/multi_row_insert.h"
#include "storage/sql/sql_statement.h"
#include "storage/sql/sync_job_rows.h"

namespace lss::storage {
namespace {

// Ids per keyset page: 80 KB of memory, and few enough round trips that
// reading 1M ids costs about a second (NOTES.md: ~740,000 rows/s).
constexpr int kIdsPerPage = 10'000;

// Chunks per multi-row INSERT: a 1M-license job of 500-license chunks is
// 2,000 chunks, 8 statements.
constexpr size_t kChunksPerInsert = 250;

// The next page of matching ids after `after_id`, into `ids`.
void ReadIdPage(soci::session& session, const LicenseFilter& scope, long long after_id,
                std::vector<long long>& ids) {
  std::string sql = "SELECT license_id FROM licenses WHERE license_id > :after_id";
  SqlParams params;
  params.Int(after_id);
  AppendLicenseFilter(scope, sql, params);
  sql += " ORDER BY license_id LIMIT :limit";
  params.Int(kIdsPerPage);

  ids.clear();
  long long id = 0;
  soci::statement statement(session);
  params.BindTo(statement);
  statement.exchange(soci::into(id));
  statement.alloc();
  statement.prepare(sql);
  statement.define_and_bind();
  for (bool got = statement.execute(true); got; got = statement.fetch()) ids.push_back(id);
}

}  // namespace

CutChunks CutIntoChunks(soci::session& session, const Dialect& dialect, absl::string_view job_id,
                        const LicenseFilter& scope, int64_t chunk_size, ChunkState state) {
  MultiRowInsert insert(
      session, dialect,
      absl::StrCat("INSERT INTO sync_job_chunks (", kSyncChunkInsertColumns, ") VALUES "),
      kSyncChunkInsertColumnCount, kChunksPerInsert);
  CutChunks cut;
  int64_t first_id = 0;
  int64_t last_id = 0;
  int64_t in_chunk = 0;
  auto emit = [&] {
    AppendNewChunkValues(job_id, cut.chunk_count++, first_id, last_id, in_chunk, state,
                         absl::nullopt, insert.AddRow());
    in_chunk = 0;
  };

  std::vector<long long> ids;
  ids.reserve(kIdsPerPage);
  long long after_id = 0;
  do {
    ReadIdPage(session, scope, after_id, ids);
    for (long long id : ids) {
      if (in_chunk == 0) first_id = id;
      last_id = id;
      ++cut.license_count;
      if (++in_chunk == chunk_size) emit();
    }
    if (!ids.empty()) after_id = ids.back();
  } while (ids.size() == static_cast<size_t>(kIdsPerPage));
  if (in_chunk > 0) emit();
  insert.Finish();
  return cut;
}

}  // namespace lss::storage
