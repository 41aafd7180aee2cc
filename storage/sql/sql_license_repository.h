// LicenseRepository over SQL (SQLite or MySQL/MariaDB through SOCI): the
// licenses and sync_history tables of migrations 0001 and 0002.
//
// How writes stay correct under concurrency (every replica, every thread):
//   - Read-modify-writes (RecordSync, RecordSyncFailure) run in one write
//     transaction that reads the row with SELECT ... FOR UPDATE on MySQL
//     (BEGIN IMMEDIATE on SQLite already excludes other writers); the
//     version-bumping UPDATE also checks the version it read and its
//     affected-row count, so a lost update cannot pass silently even if
//     the lock were ever dropped.
//   - Uniqueness (one license per key base, one per CreateLicense
//     request_id) is the database's unique indexes, not a read-then-insert.
//
// Thread-safe, as LicenseRepository requires: each call runs on its own
// pooled connection.
#pragma once

#include <cstdint>
#include <vector>

#include "storage/license_repository.h"
#include "storage/sql/sql_runner.h"

namespace lss::storage {

class SqlLicenseRepository final : public LicenseRepository {
 public:
  // Licenses per multi-row INSERT in CreateMany: 250 rows of 19 values stay
  // far below SQLite's 32,766 bound parameters and MySQL's packet limit, and
  // within the 100-1,000 rows where multi-row inserts are fastest.
  static constexpr size_t kRowsPerInsert = 250;
  // Rows per statement of ExpirePastDue and PruneHistoryBefore: each batch
  // commits on its own, so locks stay short and the undo log small.
  static constexpr int64_t kRowsPerBatch = 10000;

  explicit SqlLicenseRepository(ConnectionPool& pool) : runner_(pool) {}

  absl::StatusOr<LicenseRecord> Create(const NewLicense& license, absl::Time now) override;
  absl::StatusOr<absl::optional<LicenseRecord>> FindCreatedBy(absl::string_view request_id,
                                                              absl::string_view fingerprint) override;
  absl::StatusOr<CreateManyResult> CreateMany(const std::vector<NewLicense>& licenses,
                                              absl::Time now) override;
  absl::StatusOr<LicenseRecord> Get(int64_t license_id) override;
  absl::StatusOr<LicenseRecord> FindByKeyNumber(absl::string_view key_number) override;
  absl::StatusOr<std::vector<LicenseRecord>> List(const LicenseFilter& filter, int64_t after_id,
                                                  int limit) override;
  absl::StatusOr<LicenseRecord> RecordSync(int64_t license_id, const SyncOutcome& outcome) override;
  absl::StatusOr<LicenseRecord> RecordSyncFailure(int64_t license_id,
                                                  const SyncFailure& failure) override;
  absl::StatusOr<std::vector<SyncHistoryEntry>> ListHistory(int64_t license_id, int64_t before_id,
                                                            int limit) override;

  // The daily run's side, and termination (sql_license_lifecycle.cc).
  absl::StatusOr<std::vector<LicenseRecord>> ListRenewalDue(absl::Time now, int64_t after_id,
                                                            int limit) override;
  absl::StatusOr<LicenseRecord> RecordRenewal(int64_t license_id, const Renewal& renewal,
                                              absl::Time now) override;
  absl::StatusOr<LicenseRecord> MarkTerminated(int64_t license_id, absl::Time now) override;
  absl::StatusOr<LicenseRecord> BeginTermination(int64_t license_id, absl::Time until, absl::Time now) override;
  absl::Status EndTermination(int64_t license_id) override;
  absl::StatusOr<int64_t> ExpirePastDue(absl::Time now) override;
  absl::StatusOr<int64_t> PruneHistoryBefore(absl::Time cutoff) override;
  absl::StatusOr<std::vector<SyncHistoryEntry>> ListJobFailures(absl::string_view job_id,
                                                                int limit) override;

 private:
  SqlRunner runner_;
};

}  // namespace lss::storage
