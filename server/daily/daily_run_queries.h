// Daily runs as operators read them (ListDailyRuns): newest first, paged
// with opaque tokens. Blocking (database); call from a WorkerPool thread.
#pragma once

#include "absl/status/statusor.h"
#include "server/licenses/license_queries.h"
#include "storage/daily_run_repository.h"

namespace lss {

class DailyRunQueries {
 public:
  explicit DailyRunQueries(DailyRunRepository& runs) : runs_(runs) {}

  // page_size 0: the default; above the maximum: the maximum; negative:
  // INVALID_ARGUMENT (paging.h). A token from another listing is refused.
  absl::StatusOr<Page<DailyRunRecord>> List(int32_t page_size, absl::string_view page_token);

 private:
  DailyRunRepository& runs_;
};

}  // namespace lss
