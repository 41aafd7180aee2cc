#include "storage/sql/migrator.h"

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"
#include "soci/soci.h"
#include "storage/license_repository.h"
#include "storage/sql/sql_script.h"
#include "storage/sql/sql_statement.h"
#include "storage/sql/stored_time.h"

namespace lss::storage {
namespace {

// GET_LOCK names are server-wide: the database's name is part of the lock
// (hashed, since lock names stop at 64 characters), so that databases
// sharing a server do not wait for one another.
constexpr char kAcquireMysqlLock[] =
    "SELECT GET_LOCK(CONCAT('lss_schema_migrations.', MD5(DATABASE())), 60)";
constexpr char kReleaseMysqlLock[] =
    "SELECT RELEASE_LOCK(CONCAT('lss_schema_migrations.', MD5(DATABASE())))";

constexpr absl::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version BIGINT NOT NULL PRIMARY KEY, "
    "name VARCHAR(255) NOT NULL, "
    "applied_at BIGINT NOT NULL"
    "){{ENGINE}}";

absl::Status SchemaError(std::string message) {
  return WithReason(absl::FailedPreconditionError(std::move(message)), kReasonDatabaseError);
}

absl::Status ValidateOrder(const std::vector<Migration>& migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return WithReason(
          absl::InternalError(absl::StrCat("migration ", migrations[i].name, " has version ",
                                           migrations[i].version, ", expected ", i + 1)),
          kReasonDatabaseError);
    }
  }
  return absl::OkStatus();
}

// version -> name of every recorded migration.
std::map<int, std::string> RecordedMigrations(soci::session& session) {
  std::map<int, std::string> recorded;
  int version = 0;
  std::string name;
  soci::statement statement = (session.prepare << "SELECT version, name FROM schema_migrations",
                               soci::into(version), soci::into(name));
  for (bool got = statement.execute(true); got; got = statement.fetch()) recorded[version] = name;
  return recorded;
}

// The check-and-apply, run while the caller holds the backend's lock.
absl::Status ApplyPending(soci::session& session, const Dialect& dialect,
                          const std::vector<Migration>& migrations, absl::Time now) {
  absl::StatusOr<std::string> create_table = dialect.ExpandPlaceholders(kCreateMigrationsTable);
  if (!create_table.ok()) return create_table.status();
  ExecuteSql(session, *create_table);

  const std::map<int, std::string> recorded = RecordedMigrations(session);
  if (!recorded.empty() && recorded.rbegin()->first > static_cast<int>(migrations.size())) {
    return SchemaError(absl::StrCat("the database schema is at version ", recorded.rbegin()->first,
                                    " but this binary knows versions up to ", migrations.size(),
                                    ": run a newer release"));
  }
  for (const Migration& migration : migrations) {
    auto found = recorded.find(migration.version);
    if (found != recorded.end()) {
      if (found->second != migration.name) {
        return SchemaError(absl::StrCat("schema_migrations records version ", migration.version,
                                        " as \"", found->second, "\", this binary as \"",
                                        migration.name, "\""));
      }
      continue;
    }
    absl::StatusOr<std::string> script = dialect.ExpandPlaceholders(migration.script);
    if (!script.ok()) return script.status();
    for (const std::string& statement : SplitSqlStatements(*script)) ExecuteSql(session, statement);
    ExecuteSql(session,
               "INSERT INTO schema_migrations (version, name, applied_at) "
               "VALUES (:version, :name, :applied_at)",
               SqlParams().Int(migration.version).Text(migration.name).Int(ToStoredMicros(now)));
  }
  return absl::OkStatus();
}

absl::Status ApplyUnderMysqlLock(soci::session& session, const Dialect& dialect,
                                 const std::vector<Migration>& migrations, absl::Time now) {
  const absl::optional<long long> locked = QueryInt(session, kAcquireMysqlLock);
  if (locked != 1) {
    return WithReason(
        absl::UnavailableError("another process held the schema migration lock for 60 s; retry"),
        kReasonDatabaseUnavailable);
  }
  absl::Status status;
  try {
    status = ApplyPending(session, dialect, migrations, now);
  } catch (...) {
    // Release, then let SqlRunner classify the failure. If the connection
    // itself is gone, the server has released the lock with it.
    try {
      QueryInt(session, kReleaseMysqlLock);
    } catch (...) {
    }
    throw;
  }
  QueryInt(session, kReleaseMysqlLock);
  return status;
}

}  // namespace

absl::Status ApplyMigrations(SqlRunner& runner, const std::vector<Migration>& migrations,
                             absl::Time now) {
  absl::Status valid = ValidateOrder(migrations);
  if (!valid.ok()) return valid;
  const Dialect& dialect = runner.dialect();
  if (dialect.backend() == DatabaseBackend::kMysql) {
    return runner.Run("apply schema migrations", [&](soci::session& session) {
      return ApplyUnderMysqlLock(session, dialect, migrations, now);
    });
  }
  return runner.RunInTransaction("apply schema migrations", [&](soci::session& session) {
    return ApplyPending(session, dialect, migrations, now);
  });
}

}  // namespace lss::storage
