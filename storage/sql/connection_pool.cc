#include "storage/sql/connection_pool.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status/error_details.h"
#include "soci/mysql/soci-mysql.h"
#include "soci/soci.h"
#include "soci/sqlite3/soci-sqlite3.h"
#include "storage/license_repository.h"
#include "storage/sql/connect_string.h"
#include "storage/sql/database_errors.h"
#include "storage/sql/session_tls_check.h"

namespace lss::storage {
namespace {

// SQLITE_BUSY (SOCI does not enable extended result codes).
constexpr int kSqliteBusy = 5;
// As long as Dialect::SessionSetup's busy_timeout.
constexpr absl::Duration kSqliteLockWait = absl::Seconds(5);

}  // namespace

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)), position_(other.position_) {}

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->GiveBack(position_);
}

soci::session& ConnectionPool::Lease::session() const { return pool_->pool_->at(position_); }

void ConnectionPool::Lease::MarkBroken() { pool_->MarkBroken(position_); }

ConnectionPool::ConnectionPool(Dialect dialect, DatabaseTlsOptions tls, std::string description, size_t size)
    : dialect_(dialect),
      tls_(std::move(tls)),
      description_(std::move(description)),
      size_(size),
      pool_(std::make_unique<soci::connection_pool>(size)),
      broken_(size, false) {}

ConnectionPool::~ConnectionPool() = default;

absl::StatusOr<std::unique_ptr<ConnectionPool>> ConnectionPool::Open(const DataSource& source,
                                                                     const DatabaseTlsOptions& tls,
                                                                     absl::string_view password,
                                                                     int size) {
  if (size < 1) {
    return InvalidArgumentError("pool_size", absl::StrCat("must be at least 1, not ", size));
  }
  std::unique_ptr<ConnectionPool> pool(new ConnectionPool(
      Dialect(source.backend), tls, DescribeDataSource(source), static_cast<size_t>(size)));
  const soci::backend_factory& factory =
      source.backend == DatabaseBackend::kSqlite
          ? static_cast<const soci::backend_factory&>(soci::sqlite3)
          : static_cast<const soci::backend_factory&>(soci::mysql);
  const std::string connect_string = SociConnectString(source, tls, password);
  for (size_t position = 0; position < pool->size_; ++position) {
    try {
      soci::session& session = pool->pool_->at(position);
      session.open(factory, connect_string);
      pool->SetUp(session);
    } catch (...) {
      return DatabaseErrorStatus(ClassifyCurrentException(),
                                 absl::StrCat("cannot open ", pool->description_));
    }
  }
  return pool;
}

void ConnectionPool::SetUp(soci::session& session) const {
  if (dialect_.backend() == DatabaseBackend::kSqlite) {
    // Switching a new file to WAL takes an exclusive lock, and SQLite does
    // not wait for it through busy_timeout while another connection holds
    // the write lock (a reader upgrading could deadlock): it answers
    // "database is locked" at once. That happens when several processes
    // open a new database together, one of them migrating it. The setup is
    // idempotent, so wait here as busy_timeout would, then run it again.
    const absl::Time deadline = absl::Now() + kSqliteLockWait;
    for (;;) {
      try {
        SetUpOnce(session);
        return;
      } catch (const soci::sqlite3_soci_error& e) {
        if (e.result() != kSqliteBusy || absl::Now() >= deadline) throw;
      }
      absl::SleepFor(absl::Milliseconds(10));
    }
  }
  SetUpOnce(session);
}

void ConnectionPool::SetUpOnce(soci::session& session) const {
  // Before the first statement: nothing may cross an unencrypted link.
  if (dialect_.backend() == DatabaseBackend::kMysql) CheckSessionTls(session, tls_);
  for (const std::string& statement : dialect_.SessionSetup()) session << statement;
  if (dialect_.backend() == DatabaseBackend::kSqlite) {
    // journal_mode answers with the mode in force: some file systems
    // (network shares) cannot do WAL, and concurrent readers would then
    // block the writer. Refuse rather than run slow and surprising.
    std::string journal_mode;
    session << "PRAGMA journal_mode", soci::into(journal_mode);
    if (absl::AsciiStrToLower(journal_mode) != "wal") {
      throw soci::soci_error(
          absl::StrCat("SQLite refused WAL mode (journal_mode is ", journal_mode, ")"));
    }
  }
}

absl::StatusOr<ConnectionPool::Lease> ConnectionPool::Acquire(absl::Duration wait) {
  size_t position = 0;
  bool leased = false;
  try {
    leased = pool_->try_lease(position, static_cast<int>(absl::ToInt64Milliseconds(wait)));
  } catch (...) {
    return DatabaseErrorStatus(ClassifyCurrentException(), "cannot lease a database connection");
  }
  if (!leased) {
    return WithReason(
        absl::UnavailableError(absl::StrCat("all ", size_, " database connections stayed busy for ",
                                            absl::FormatDuration(wait))),
        kReasonDatabaseUnavailable);
  }
  Lease lease(this, position);  // gives the connection back on every path
  absl::Status reconnected = ReconnectIfBroken(position);
  if (!reconnected.ok()) return reconnected;
  return lease;
}

absl::Status ConnectionPool::ReconnectIfBroken(size_t position) {
  {
    absl::MutexLock lock(&mutex_);
    if (!broken_[position]) return absl::OkStatus();
  }
  // Reconnecting outside the mutex: the lease makes this position ours, and
  // a connect to a dead server may take connect_timeout.
  try {
    soci::session& session = pool_->at(position);
    session.reconnect();
    SetUp(session);
  } catch (...) {
    return DatabaseErrorStatus(ClassifyCurrentException(),
                               absl::StrCat("cannot reconnect to ", description_));
  }
  absl::MutexLock lock(&mutex_);
  broken_[position] = false;
  return absl::OkStatus();
}

void ConnectionPool::MarkBroken(size_t position) {
  absl::MutexLock lock(&mutex_);
  broken_[position] = true;
}

void ConnectionPool::GiveBack(size_t position) { pool_->give_back(position); }

}  // namespace lss::storage
