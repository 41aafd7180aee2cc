// The read side of licenses: GetLicense, ListLicenses and ListSyncHistory,
// with AIP-158 paging. Blocking (database reads): call from a WorkerPool
// thread. Thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/licenses/license_ref.h"
#include "server/paging/page.h"
#include "storage/license_repository.h"

namespace lss {

// Limits of a LicenseFilter as a request gives it (ListLicenses' `filter`,
// SyncAll's `scope`): the widths of the columns it is compared with, and the
// times a google.protobuf.Timestamp may hold (years 1 to 9999).
inline constexpr size_t kMaxFilterLicenseClassLength = 128;
inline constexpr size_t kMaxFilterKeyNumberPrefixLength = 64;

// INVALID_ARGUMENT naming the field under `field_prefix` (e.g. "filter.")
// when a string of `filter` is too long or its time is out of range.
absl::Status ValidateLicenseFilter(const LicenseFilter& filter, absl::string_view field_prefix);

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
