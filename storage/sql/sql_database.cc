#include "storage/sql/sql_database.h"

#include <utility>

#include "soci/soci.h"
#include "storage/sql/sql_statement.h"

namespace lss::storage {

SqlDatabase::SqlDatabase(std::unique_ptr<ConnectionPool> pool)
    : pool_(std::move(pool)), runner_(*pool_), licenses_(*pool_), sync_jobs_(*pool_),
      audit_(*pool_), daily_runs_(*pool_), upgrades_(*pool_) {}

absl::Status SqlDatabase::Ping() {
  return runner_.Run("ping the database", [](soci::session& session) {
    QueryInt(session, "SELECT 1");
    return absl::OkStatus();
  });
}

std::string SqlDatabase::BackendName() const { return std::string(pool_->dialect().name()); }

}  // namespace lss::storage
