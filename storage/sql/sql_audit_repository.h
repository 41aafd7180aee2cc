// AuditRepository over SQL (SQLite or MySQL/MariaDB through SOCI): the
// audit_events table of migration 0005.
//
// Appends are single INSERTs: events are never updated, so there is nothing
// to lock. Pruning walks the (occurred_at, event_id) index oldest first:
// each batch finds the (occurred_at, event_id) pair `prune_batch_size` rows
// in, deletes the rows before it with one ranged DELETE, and commits, so no
// statement or transaction grows with the size of the log and no
// statement carries a list of ids.
//
// Thread-safe, as AuditRepository requires: each call runs on its own
// pooled connection.
#pragma once

#include <cstdint>
#include <vector>

#include "storage/audit_repository.h"
#include "storage/sql/sql_runner.h"

namespace lss::storage {

class SqlAuditRepository final : public AuditRepository {
 public:
  // Rows per pruning batch: small enough that one batch's locks and undo
  // log stay short, large enough that a million-row prune is a hundred
  // round trips.
  static constexpr int64_t kDefaultPruneBatchSize = 10000;

  // `prune_batch_size` below 1 counts as 1; tests pass a small one to prune
  // across several batches with a few rows.
  explicit SqlAuditRepository(ConnectionPool& pool,
                              int64_t prune_batch_size = kDefaultPruneBatchSize);

  absl::StatusOr<AuditEvent> Append(const AuditEvent& event) override;
  absl::StatusOr<std::vector<AuditEvent>> List(const AuditFilter& filter, int64_t before_event_id,
                                               int limit) override;
  absl::StatusOr<int64_t> PruneBefore(absl::Time cutoff) override;

 private:
  SqlRunner runner_;
  const int64_t prune_batch_size_;
};

}  // namespace lss::storage
