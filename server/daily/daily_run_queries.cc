#include "server/daily/daily_run_queries.h"

#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "common/status/error_details.h"
#include "server/paging/paging.h"

namespace lss {
namespace {

constexpr absl::string_view kFingerprint = "daily-runs";

// A run date as the token's integer cursor and back: 2026-11-27 <-> 20261127.
int64_t CursorOf(absl::string_view run_date) {
  int64_t cursor = 0;
  return absl::SimpleAtoi(absl::StrReplaceAll(run_date, {{"-", ""}}), &cursor) ? cursor : 0;
}

std::string RunDateOf(int64_t cursor) {
  if (cursor <= 0) return "";
  return absl::StrFormat("%04d-%02d-%02d", cursor / 10000, cursor / 100 % 100, cursor % 100);
}

// A token's cursor names a day (CursorOf); a forged one that does not is
// the caller's bad token, never a query for no such day.
bool IsRunDateCursor(int64_t cursor) {
  if (cursor == 0) return true;
  const int64_t year = cursor / 10000, month = cursor / 100 % 100, day = cursor % 100;
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

}  // namespace

absl::StatusOr<Page<DailyRunRecord>> DailyRunQueries::List(int32_t page_size,
                                                           absl::string_view page_token) {
  absl::StatusOr<int> size = NormalizePageSize(page_size);
  if (!size.ok()) return size.status();
  absl::StatusOr<int64_t> before = DecodePageToken(page_token, kFingerprint);
  if (!before.ok()) return before.status();
  if (!IsRunDateCursor(*before)) {
    return InvalidArgumentError("page_token", "is not a token this service issued", "INVALID_PAGE_TOKEN");
  }
  absl::StatusOr<std::vector<DailyRunRecord>> rows = runs_.List(RunDateOf(*before), *size + 1);
  if (!rows.ok()) return rows.status();
  Page<DailyRunRecord> page;
  if (static_cast<int>(rows->size()) > *size) {
    rows->resize(static_cast<size_t>(*size));
    page.next_page_token = EncodePageToken(CursorOf(rows->back().run_date), kFingerprint);
  }
  page.items = *std::move(rows);
  return page;
}

}  // namespace lss
