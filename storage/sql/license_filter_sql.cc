#include "storage/sql/license_filter_sql.h"

#include "storage/sql/stored_time.h"

namespace lss::storage {

void AppendLicenseFilter(const LicenseFilter& filter, std::string& sql, SqlParams& params) {
  if (filter.sync_status.has_value()) {
    sql += " AND sync_status = :sync_status";
    params.Int(static_cast<int>(*filter.sync_status));
  }
  if (filter.state.has_value()) {
    sql += " AND state = :state";
    params.Int(static_cast<int>(*filter.state));
  }
  if (!filter.license_class.empty()) {
    sql += " AND license_class = :license_class";
    params.Text(filter.license_class);
  }
  if (!filter.key_number_prefix.empty()) {
    sql += " AND key_number LIKE :key_number_prefix ESCAPE '!'";
    params.Text(LikePrefixPattern(filter.key_number_prefix));
  }
  if (filter.usable_until_before.has_value()) {
    // A license is usable until it expires (Not In Sync ones are not
    // renewed, In Sync ones get a new expire_at when renewed).
    sql += " AND expire_at < :usable_until_before";
    params.Int(ToStoredMicros(*filter.usable_until_before));
  }
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
