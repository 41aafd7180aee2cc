#include "server/daily/daily_run_queries.h"

#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
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

}  // namespace

absl::StatusOr<Page<DailyRunRecord>> DailyRunQueries::List(int32_t page_size,
                                                           absl::string_view page_token) {
  absl::StatusOr<int> size = NormalizePageSize(page_size);
  if (!size.ok()) return size.status();
  absl::StatusOr<int64_t> before = DecodePageToken(page_token, kFingerprint);
  if (!before.ok()) return before.status();
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
