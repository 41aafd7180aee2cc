// Database over SOCI: owns the connection pool and the repositories built
// on it. Made by Database::Open (storage/database.cc) once the schema is up
// to date.
//
// Thread-safe: repositories and Ping may be used from any thread at once.
#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "storage/database.h"
#include "storage/sql/connection_pool.h"
#include "storage/sql/sql_audit_repository.h"
#include "storage/sql/sql_daily_run_repository.h"
#include "storage/sql/sql_license_repository.h"
#include "storage/sql/sql_runner.h"
#include "storage/sql/sql_sync_job_repository.h"
#include "storage/sql/sql_upgrade_repository.h"

namespace lss::storage {

class SqlDatabase final : public Database {
 public:
  explicit SqlDatabase(std::unique_ptr<ConnectionPool> pool);

  LicenseRepository& licenses() override { return licenses_; }
  SyncJobRepository& sync_jobs() override { return sync_jobs_; }
  AuditRepository& audit() override { return audit_; }
  DailyRunRepository& daily_runs() override { return daily_runs_; }
  UpgradeRepository& upgrades() override { return upgrades_; }
  absl::Status Ping() override;
  std::string BackendName() const override;

 private:
  std::unique_ptr<ConnectionPool> pool_;  // outlives the members below
  SqlRunner runner_;
  SqlLicenseRepository licenses_;
  SqlSyncJobRepository sync_jobs_;
  SqlAuditRepository audit_;
  SqlDailyRunRepository daily_runs_;
  SqlUpgradeRepository upgrades_;
};

}  // namespace lss::storage
