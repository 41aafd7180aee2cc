#include "bench/database_chores.h"

#include <cstdint>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace lss::bench {

std::string MariaDbVersion(const harness::MariaDbProcess& mariadb) {
  absl::StatusOr<std::string> version = mariadb.QueryScalar("SELECT VERSION()");
  return version.ok() ? *version : "unknown";
}

absl::Status ResetSyncHistory(const harness::MariaDbProcess& mariadb, absl::string_view database) {
  return mariadb.Execute(absl::StrCat("TRUNCATE TABLE `", database, "`.sync_history"), absl::Minutes(5));
}

absl::StatusOr<absl::Duration> SettleInnoDb(const harness::MariaDbProcess& mariadb, absl::Duration timeout) {
  // Quiet enough: a few MB dirty, little left to purge.
  constexpr int64_t kDirtyPages = 1000;
  constexpr int64_t kHistory = 1000;
  auto status_value = [&](absl::string_view name) -> int64_t {
    absl::StatusOr<std::string> text = mariadb.QueryScalar(
        absl::StrCat("SELECT variable_value FROM information_schema.global_status WHERE variable_name = '", name, "'"));
    int64_t value = -1;
    return text.ok() && absl::SimpleAtoi(*text, &value) ? value : -1;
  };
  absl::StatusOr<std::string> max_dirty = mariadb.QueryScalar("SELECT @@GLOBAL.innodb_max_dirty_pages_pct");
  if (!max_dirty.ok()) return max_dirty.status();
  // 0 makes the page cleaner flush as fast as it can, not at its idle pace.
  if (absl::Status eager = mariadb.Execute("SET GLOBAL innodb_max_dirty_pages_pct = 0"); !eager.ok()) return eager;
  const absl::Time start = absl::Now();
  harness::WaitFor(
      [&] {
        const int64_t dirty = status_value("INNODB_BUFFER_POOL_PAGES_DIRTY");
        const int64_t history = status_value("INNODB_HISTORY_LIST_LENGTH");
        return dirty >= 0 && dirty < kDirtyPages && history >= 0 && history < kHistory;
      },
      timeout, absl::Milliseconds(500));
  const absl::Duration waited = absl::Now() - start;
  if (absl::Status restored = mariadb.Execute(absl::StrCat("SET GLOBAL innodb_max_dirty_pages_pct = ", *max_dirty));
      !restored.ok()) {
    return restored;
  }
  return waited;
}

}  // namespace lss::bench
