// The database behind the service: opens it (SQLite file or MySQL/MariaDB),
// brings its schema up to date, and hands out the repositories.
//
// Thread-safe: one Database per process, shared by every thread; each
// repository call takes a connection from the pool.
#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/audit_repository.h"
#include "storage/database_tls.h"
#include "storage/daily_run_repository.h"
#include "storage/license_repository.h"
#include "storage/sync_job_repository.h"
#include "storage/upgrade_repository.h"

namespace lss {

struct DatabaseOptions {
  // "sqlite:PATH" (the embedded default; ":memory:" is not supported because
  // every pooled connection must see the same data) or
  // "mysql://USER@HOST:PORT/DATABASE". Never holds the password.
  std::string dsn;
  // The MySQL user's password (from a file or the environment; never a flag).
  std::string password;
  // TLS to a MySQL server (database_tls.h); off by default. Open() refuses
  // it with SQLite.
  DatabaseTlsOptions tls = {};
  // Connections kept open. SQLite serialises writers anyway.
  int pool_size = 8;
};

class Database {
 public:
  virtual ~Database() = default;

  // Connects, then applies the pending schema migrations in order, recorded
  // in `schema_migrations`. Safe when several replicas start at once: one
  // applies each migration, the others wait for it.
  static absl::StatusOr<std::unique_ptr<Database>> Open(const DatabaseOptions& options);

  virtual LicenseRepository& licenses() = 0;
  virtual SyncJobRepository& sync_jobs() = 0;
  virtual AuditRepository& audit() = 0;
  virtual DailyRunRepository& daily_runs() = 0;
  virtual UpgradeRepository& upgrades() = 0;

  // A cheap round trip; the health service follows it.
  virtual absl::Status Ping() = 0;

  // "sqlite" or "mysql", for logs.
  virtual std::string BackendName() const = 0;
};

}  // namespace lss
