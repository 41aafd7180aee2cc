// DailyRunRepository over SQL (SQLite or MySQL/MariaDB through SOCI): the
// daily_runs, daily_run_phases and daily_run_failures tables of migration
// 0004.
//
// How a day is run once across replicas: Claim inserts the day's row with
// INSERT IGNORE (the primary key on run_date lets one insert through), or
// takes over a RUNNING row whose lease expired with an UPDATE repeating
// that condition; every later write repeats the claim's owner and attempts
// and checks that it changed a row. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "storage/daily_run_repository.h"
#include "storage/sql/sql_runner.h"

namespace lss::storage {

class SqlDailyRunRepository final : public DailyRunRepository {
 public:
  explicit SqlDailyRunRepository(ConnectionPool& pool) : runner_(pool) {}

  absl::StatusOr<absl::optional<DailyRunRecord>> Claim(absl::string_view run_date,
                                                       absl::string_view new_run_id,
                                                       absl::string_view owner, absl::Time now,
                                                       absl::Duration lease) override;
  absl::Status SavePhase(const DailyRunRecord& claim, const DailyRunPhase& phase, absl::Time now,
                         absl::Duration lease) override;
  absl::Status RenewLease(const DailyRunRecord& claim, absl::Time now, absl::Duration lease) override;
  absl::Status Finish(const DailyRunRecord& claim, DailyRunState state, absl::Time now) override;
  absl::StatusOr<DailyRunRecord> Get(absl::string_view run_date) override;
  absl::StatusOr<std::vector<DailyRunRecord>> List(absl::string_view before_run_date,
                                                   int limit) override;

 private:
  SqlRunner runner_;
};

}  // namespace lss::storage
