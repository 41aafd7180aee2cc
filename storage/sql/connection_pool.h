// A fixed set of open SOCI sessions to one database, lent out to one caller
// at a time (soci::connection_pool underneath). Every connection is set up
// by the Dialect's SessionSetup when opened, and again when a connection
// that failed is reconnected on its next lease; with TLS on, each is also
// checked to be encrypted (session_tls_check.h).
//
// Thread-safe: Acquire may be called from any thread at once. A Lease, and
// the session it lends, belong to the thread holding it.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "storage/database_tls.h"
#include "storage/dsn.h"
#include "storage/sql/dialect.h"

namespace soci {
class connection_pool;
class session;
}  // namespace soci

namespace lss::storage {

class ConnectionPool {
 public:
  // One connection, lent until the Lease goes away.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    soci::session& session() const;

    // The connection failed in a way that may have left it unusable (lost,
    // or in an unknown transaction state): the next lease reconnects it.
    void MarkBroken();

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, size_t position) : pool_(pool), position_(position) {}

    ConnectionPool* pool_;  // null once moved from
    size_t position_;
  };

  // Opens `size` connections to `source` (all of them now, so that a wrong
  // address, password or certificate fails here), over TLS as `tls` says
  // (checked by the caller: CheckDatabaseTls). UNAVAILABLE
  // (DATABASE_UNAVAILABLE) when the database cannot be reached or the TLS
  // handshake fails; the message names the data source without its password.
  static absl::StatusOr<std::unique_ptr<ConnectionPool>> Open(const DataSource& source,
                                                              const DatabaseTlsOptions& tls,
                                                              absl::string_view password, int size);
  ~ConnectionPool();

  // Waits for a free connection. UNAVAILABLE (DATABASE_UNAVAILABLE) when
  // none frees up within `wait` or a broken one cannot be reconnected.
  absl::StatusOr<Lease> Acquire(absl::Duration wait = absl::Seconds(30));

  const Dialect& dialect() const { return dialect_; }
  // The data source, fit for logs and messages.
  const std::string& description() const { return description_; }

 private:
  ConnectionPool(Dialect dialect, DatabaseTlsOptions tls, std::string description, size_t size);

  // Runs the dialect's session setup on a freshly (re)opened connection.
  void SetUp(soci::session& session) const;
  void SetUpOnce(soci::session& session) const;
  // Reopens a connection marked broken, if it is; holds its lease.
  absl::Status ReconnectIfBroken(size_t position);
  void MarkBroken(size_t position);
  void GiveBack(size_t position);

  const Dialect dialect_;
  const DatabaseTlsOptions tls_;
  const std::string description_;
  const size_t size_;
  std::unique_ptr<soci::connection_pool> pool_;

  absl::Mutex mutex_;
  // Positions whose connection must be reopened before its next use.
  std::vector<bool> broken_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace lss::storage
