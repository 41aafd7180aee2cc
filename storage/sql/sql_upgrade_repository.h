// UpgradeRepository over SQL (SQLite or MySQL/MariaDB through SOCI): the
// upgrades table of migration 0007, and the licenses' order_placing flag.
//
// How writes stay correct under concurrency (every replica, every thread):
// each step is one UPDATE ... WHERE upgrade_id = ? AND row_version = ? that
// bumps row_version, and its affected-row count decides: of two steps from
// the same read, exactly one changes a row. The placement steps
// (sql_upgrade_placement.cc) then write the license in the same transaction,
// again under a condition whose affected-row count is checked (BeginPlacing:
// still ACTIVE, unflagged and at the session's license version), and roll
// both back when it fails. They lock the session's row before the
// license's, always in that order, so two of them cannot deadlock.
//
// Thread-safe, as UpgradeRepository requires: each call runs on its own
// pooled connection.
#pragma once

#include <cstdint>
#include <vector>

#include "storage/sql/sql_runner.h"
#include "storage/upgrade_repository.h"

namespace lss::storage {

class SqlUpgradeRepository final : public UpgradeRepository {
 public:
  explicit SqlUpgradeRepository(ConnectionPool& pool) : runner_(pool) {}

  absl::StatusOr<UpgradeRecord> Create(const UpgradeRecord& upgrade) override;
  absl::StatusOr<UpgradeRecord> Get(absl::string_view upgrade_id) override;
  absl::StatusOr<std::vector<UpgradeRecord>> List(const UpgradeFilter& filter, int64_t before_seq,
                                                  int limit) override;
  absl::StatusOr<UpgradeRecord> Update(const UpgradeRecord& next) override;
  absl::StatusOr<absl::optional<UpgradeRecord>> ClaimPlacing(absl::string_view upgrade_id,
                                                             absl::string_view owner,
                                                             absl::Time now,
                                                             absl::Duration lease) override;
  absl::StatusOr<std::vector<UpgradeRecord>> ListAbandonedPlacements(absl::Time now,
                                                                     int limit) override;
  absl::StatusOr<int64_t> ExpireDue(absl::Time now) override;

  // The steps that also write the license (sql_upgrade_placement.cc).
  absl::StatusOr<UpgradeRecord> BeginPlacing(const UpgradeRecord& next) override;
  absl::StatusOr<CompletedUpgrade> CompleteOrder(const UpgradeRecord& next,
                                                 const LicenseConfig& config,
                                                 const SyncResult& sync, absl::Time now) override;
  absl::StatusOr<UpgradeRecord> AbandonPlacing(const UpgradeRecord& next) override;

 private:
  SqlRunner runner_;
};

}  // namespace lss::storage
