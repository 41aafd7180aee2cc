#include "server/licenses/license_queries.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/status/error_details.h"
#include "server/paging/paging.h"

namespace lss {

absl::Status ValidateLicenseFilter(const LicenseFilter& filter, absl::string_view field_prefix) {
  if (filter.license_class.size() > kMaxFilterLicenseClassLength) {
    return InvalidArgumentError(absl::StrCat(field_prefix, "license_class"),
                                absl::StrCat("must be at most ", kMaxFilterLicenseClassLength, " characters"));
  }
  if (filter.key_number_prefix.size() > kMaxFilterKeyNumberPrefixLength) {
    return InvalidArgumentError(absl::StrCat(field_prefix, "key_number_prefix"),
                                absl::StrCat("must be at most ", kMaxFilterKeyNumberPrefixLength, " characters"));
  }
  if (filter.usable_until_before) {
    static const absl::Time kFirst = absl::FromCivil(absl::CivilSecond(1, 1, 1, 0, 0, 0), absl::UTCTimeZone());
    static const absl::Time kPastLast = absl::FromCivil(absl::CivilSecond(10000, 1, 1, 0, 0, 0), absl::UTCTimeZone());
    if (*filter.usable_until_before < kFirst || *filter.usable_until_before >= kPastLast) {
      return InvalidArgumentError(absl::StrCat(field_prefix, "usable_until_before"),
                                  "must lie between the years 1 and 9999");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<LicenseRecord> LicenseQueries::Get(const LicenseRef& ref) {
  return ResolveLicense(licenses_, ref);
}

absl::StatusOr<Page<LicenseRecord>> LicenseQueries::List(const LicenseFilter& filter,
                                                         absl::string_view filter_fingerprint,
                                                         int32_t page_size, absl::string_view page_token) {
  if (absl::Status valid = ValidateLicenseFilter(filter, "filter."); !valid.ok()) return valid;
  absl::StatusOr<int> size = NormalizePageSize(page_size);
  if (!size.ok()) return size.status();
  absl::StatusOr<int64_t> after_id = DecodePageToken(page_token, filter_fingerprint);
  if (!after_id.ok()) return after_id.status();

  // One row more than the page tells whether another page follows without a
  // second query.
  absl::StatusOr<std::vector<LicenseRecord>> rows = licenses_.List(filter, *after_id, *size + 1);
  if (!rows.ok()) return rows.status();
  Page<LicenseRecord> page;
  if (static_cast<int>(rows->size()) > *size) {
    rows->resize(static_cast<size_t>(*size));
    page.next_page_token = EncodePageToken(rows->back().license_id, filter_fingerprint);
  }
  page.items = *std::move(rows);
  return page;
}

absl::StatusOr<Page<SyncHistoryEntry>> LicenseQueries::History(const LicenseRef& ref, int32_t page_size,
                                                               absl::string_view page_token) {
  absl::StatusOr<int> size = NormalizePageSize(page_size);
  if (!size.ok()) return size.status();
  absl::StatusOr<LicenseRecord> license = ResolveLicense(licenses_, ref);
  if (!license.ok()) return license.status();
  const std::string fingerprint = absl::StrCat("history:", license->license_id);
  absl::StatusOr<int64_t> before_id = DecodePageToken(page_token, fingerprint);
  if (!before_id.ok()) return before_id.status();

  absl::StatusOr<std::vector<SyncHistoryEntry>> rows =
      licenses_.ListHistory(license->license_id, *before_id, *size + 1);
  if (!rows.ok()) return rows.status();
  Page<SyncHistoryEntry> page;
  if (static_cast<int>(rows->size()) > *size) {
    rows->resize(static_cast<size_t>(*size));
    page.next_page_token = EncodePageToken(rows->back().entry_id, fingerprint);
  }
  page.items = *std::move(rows);
  return page;
}

}  // namespace lss
