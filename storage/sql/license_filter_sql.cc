#include "storage/sql/license_filter_sql.h"

#include "absl/strings/str_cat.h"
#include "storage/sql/stored_time.h"

namespace lss::storage {

namespace {

// The conditions of `filter`, each column written as `column(name)`.
template <typename Column>
void AppendConditions(const LicenseFilter& filter, Column column, std::string& sql, SqlParams& params) {
  if (filter.sync_status.has_value()) {
    absl::StrAppend(&sql, " AND ", column("sync_status"), " = :sync_status");
    params.Int(static_cast<int>(*filter.sync_status));
  }
  if (filter.state.has_value()) {
    absl::StrAppend(&sql, " AND ", column("state"), " = :state");
    params.Int(static_cast<int>(*filter.state));
  }
  if (!filter.license_class.empty()) {
    absl::StrAppend(&sql, " AND ", column("license_class"), " = :license_class");
    params.Text(filter.license_class);
  }
  if (!filter.key_number_prefix.empty()) {
    absl::StrAppend(&sql, " AND ", column("key_number"), " LIKE :key_number_prefix ESCAPE '!'");
    params.Text(LikePrefixPattern(filter.key_number_prefix));
  }
  if (filter.usable_until_before.has_value()) {
    // A license is usable until it expires (Not In Sync ones are not
    // renewed, In Sync ones get a new expire_at when renewed).
    absl::StrAppend(&sql, " AND ", column("expire_at"), " < :usable_until_before");
    params.Int(ToStoredMicros(*filter.usable_until_before));
  }
}

}  // namespace

void AppendLicenseFilter(const LicenseFilter& filter, std::string& sql, SqlParams& params) {
  AppendConditions(filter, [](absl::string_view name) { return std::string(name); }, sql, params);
}

void AppendLicenseFilterOnly(const LicenseFilter& filter, const Dialect& dialect, std::string& sql,
                             SqlParams& params) {
  AppendConditions(filter, [&](absl::string_view name) { return dialect.FilterOnly(name); }, sql, params);
}

std::string LikePrefixPattern(absl::string_view prefix) {
  std::string pattern;
  for (char c : prefix) {
    if (c == '!' || c == '%' || c == '_') pattern += '!';
    pattern += c;
  }
  pattern += '%';
  return pattern;
}

}  // namespace lss::storage
