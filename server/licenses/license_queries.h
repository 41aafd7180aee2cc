// The read side of licenses: GetLicense, ListLicenses and ListSyncHistory,
// with AIP-158 paging. Blocking (database reads): call from a WorkerPool
// thread. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/licenses/license_ref.h"
#include "server/paging/page.h"
#include "storage/license_repository.h"

namespace lss {

class LicenseQueries {
 public:
  explicit LicenseQueries(LicenseRepository& licenses) : licenses_(licenses) {}

  absl::StatusOr<LicenseRecord> Get(const LicenseRef& ref);

  // `filter_fingerprint` binds page tokens to the request's filter (see
  // server/paging/paging.h).
  absl::StatusOr<Page<LicenseRecord>> List(const LicenseFilter& filter, absl::string_view filter_fingerprint,
                                           int32_t page_size, absl::string_view page_token);

  // Newest first.
  absl::StatusOr<Page<SyncHistoryEntry>> History(const LicenseRef& ref, int32_t page_size,
                                                 absl::string_view page_token);

 private:
  LicenseRepository& licenses_;
};

}  // namespace lss
