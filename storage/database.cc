#include "storage/database.h"

#include <utility>

#include "absl/time/clock.h"
#include "storage/database_tls.h"
#include "storage/dsn.h"
#include "storage/sql/connection_pool.h"
#include "storage/sql/migration.h"
#include "storage/sql/migrator.h"
#include "storage/sql/sql_database.h"
#include "storage/sql/sql_runner.h"

namespace lss {

absl::StatusOr<std::unique_ptr<Database>> Database::Open(const DatabaseOptions& options) {
  absl::StatusOr<DataSource> source = ParseDsn(options.dsn);
  if (!source.ok()) return source.status();
  // Before connecting: libmariadb names neither the flag nor the file.
  if (absl::Status tls = CheckDatabaseTls(options.tls, source->backend); !tls.ok()) return tls;
  absl::StatusOr<std::unique_ptr<storage::ConnectionPool>> pool =
      storage::ConnectionPool::Open(*source, options.tls, options.password, options.pool_size);
  if (!pool.ok()) return pool.status();
  storage::SqlRunner runner(**pool);
  absl::Status migrated =
      storage::ApplyMigrations(runner, storage::EmbeddedMigrations(), absl::Now());
  if (!migrated.ok()) return migrated;
  return std::make_unique<storage::SqlDatabase>(*std::move(pool));
}

}  // namespace lss
