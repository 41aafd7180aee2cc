#include "bench/bench_database.h"

#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "bench/bench_processes.h"
#include "bench/database_chores.h"
#include "tests/harness/harness.h"

namespace lss::bench {
namespace {

// Seen on MariaDB 10.11: about 1 KiB a license for the tables with their
// indexes and one SyncAll of history (100 MB at 100k); three times that
// (SQLite's rows are smaller: the same guess stays on the safe side) ...
constexpr int64_t kBytesPerLicense = 3 * 1024;
// ... plus room for InnoDB's redo log (512 MB with the default flags) and
// undo; SQLite's WAL is checkpointed every 1,000 pages, so little is fixed.
constexpr int64_t kMariaDbFixedBytes = int64_t{1} << 30;
constexpr int64_t kSqliteFixedBytes = int64_t{256} << 20;

class MariaDbDatabase final : public BenchDatabase {
 public:
  MariaDbDatabase(const harness::MariaDbProcess& mariadb, std::string name)
      : mariadb_(mariadb), name_(std::move(name)) {}

  std::string ServerDsn() const override { return mariadb_.ApplicationEndpoint(name_).Dsn(); }
  std::string ServerPassword() const override { return mariadb_.password(); }
  SqlTarget BareTarget() const override {
    // Over TCP with the application account, as license-server connects.
    return {Backend::kMariaDb, absl::StrCat(mariadb_.SociConnectString(name_), " charset=utf8mb4")};
  }
  absl::Status ResetSyncHistory() override { return lss::bench::ResetSyncHistory(mariadb_, name_); }
  absl::StatusOr<absl::Duration> Settle(absl::Duration timeout) override { return SettleInnoDb(mariadb_, timeout); }
  absl::Status Drop() override {
    return mariadb_.Execute(absl::StrCat("DROP DATABASE IF EXISTS `", name_, "`"), absl::Minutes(10));
  }

 private:
  const harness::MariaDbProcess& mariadb_;
  const std::string name_;
};

class MariaDbHost final : public DatabaseHost {
 public:
  MariaDbHost(std::unique_ptr<harness::MariaDbProcess> mariadb, std::string command)
      : mariadb_(std::move(mariadb)), command_(std::move(command)) {}

  absl::StatusOr<std::unique_ptr<BenchDatabase>> Create(absl::string_view name) override {
    // The harness grants the application account every lss_* database.
    auto database = std::make_unique<MariaDbDatabase>(*mariadb_, absl::StrCat("lss_", name));
    if (absl::Status dropped = database->Drop(); !dropped.ok()) return dropped;
    if (absl::Status created = mariadb_->CreateDatabase(absl::StrCat("lss_", name)); !created.ok()) return created;
    return database;
  }
  std::string Version() override { return absl::StrCat("MariaDB ", MariaDbVersion(*mariadb_)); }
  std::string Command() const override { return command_; }
  std::string DataDir() const override { return mariadb_->data_dir(); }
  int64_t EstimatedDiskBytes(int64_t licenses) const override {
    return licenses * kBytesPerLicense + kMariaDbFixedBytes;
  }

 private:
  std::unique_ptr<harness::MariaDbProcess> mariadb_;
  const std::string command_;
};

// SOCI's connect string for a SQLite file (paths here hold no '"').
SqlTarget SqliteTarget(const std::string& path) { return {Backend::kSqlite, absl::StrCat("db=\"", path, "\"")}; }

// The main database file and the two SQLite keeps beside it in WAL mode.
void RemoveSqliteFiles(const std::string& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(absl::StrCat(path, suffix), ignored);
  }
}

class SqliteDatabase final : public BenchDatabase {
 public:
  explicit SqliteDatabase(std::string path) : path_(std::move(path)) {}

  std::string ServerDsn() const override { return absl::StrCat("sqlite:", path_); }
  std::string ServerPassword() const override { return ""; }
  SqlTarget BareTarget() const override { return SqliteTarget(path_); }
  absl::Status ResetSyncHistory() override {
    return WithSession("emptying sync_history", [](soci::session& sql) { sql << "DELETE FROM sync_history"; });
  }
  absl::StatusOr<absl::Duration> Settle(absl::Duration timeout) override {
    // TRUNCATE waits (busy_timeout) for readers, copies the WAL into the
    // database and empties it, so the next writer starts from a short WAL.
    (void)timeout;  // a checkpoint is bounded by busy_timeout instead
    const absl::Time start = absl::Now();
    absl::Status checkpointed = WithSession("checkpointing the WAL", [](soci::session& sql) {
      int busy = 0, log = 0, copied = 0;
      sql << "PRAGMA wal_checkpoint(TRUNCATE)", soci::into(busy), soci::into(log), soci::into(copied);
    });
    if (!checkpointed.ok()) return checkpointed;
    return absl::Now() - start;
  }
  absl::Status Drop() override {
    RemoveSqliteFiles(path_);
    return absl::OkStatus();
  }

 private:
  absl::Status WithSession(absl::string_view what, absl::FunctionRef<void(soci::session&)> body) {
    absl::StatusOr<std::unique_ptr<soci::session>> session = OpenBareSession(BareTarget());
    if (!session.ok()) return session.status();
    return RunSql(what, [&] { body(**session); });
  }

  const std::string path_;
};

class SqliteHost final : public DatabaseHost {
 public:
  explicit SqliteHost(std::string dir) : dir_(std::move(dir)) {}

  absl::StatusOr<std::unique_ptr<BenchDatabase>> Create(absl::string_view name) override {
    const std::string path = absl::StrCat(dir_, "/", name, ".db");
    RemoveSqliteFiles(path);
    return std::make_unique<SqliteDatabase>(path);
  }
  std::string Version() override {
    // The library this binary links is license-server's too (Debian's
    // libsqlite3, shared).
    std::string version = "unknown";
    const std::string path = absl::StrCat(dir_, "/version.db");
    if (absl::StatusOr<std::unique_ptr<soci::session>> session = OpenBareSession(SqliteTarget(path)); session.ok()) {
      (void)RunSql("reading the version", [&] { **session << "SELECT sqlite_version()", soci::into(version); });
    }
    RemoveSqliteFiles(path);
    return absl::StrCat("SQLite ", version);
  }
  std::string Command() const override {
    return absl::StrCat("# SQLite: license-server's embedded default, a file per database in ", dir_,
                        " (WAL, synchronous=NORMAL)");
  }
  std::string DataDir() const override { return dir_; }
  int64_t EstimatedDiskBytes(int64_t licenses) const override {
    return licenses * kBytesPerLicense + kSqliteFixedBytes;
  }

 private:
  const std::string dir_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<DatabaseHost>> DatabaseHost::Start(const BenchConfig& config,
                                                                  const std::string& work_dir) {
  if (config.backend == Backend::kSqlite) {
    const std::string dir = absl::StrCat(work_dir, "/sqlite");
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error) return absl::FailedPreconditionError(absl::StrCat("cannot create ", dir, ": ", error.message()));
    return std::make_unique<SqliteHost>(dir);
  }
  absl::StatusOr<std::unique_ptr<harness::MariaDbProcess>> mariadb = StartMariaDb(work_dir, config.mariadb_args);
  if (!mariadb.ok()) return mariadb.status();
  return std::make_unique<MariaDbHost>(
      *std::move(mariadb),
      absl::StrCat("mariadbd (tests/harness MariaDbProcess defaults, then) ", absl::StrJoin(config.mariadb_args, " ")));
}

}  // namespace lss::bench
