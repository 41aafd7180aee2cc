#include "tests/storage/license_printers.h"

#include "absl/strings/escaping.h"
#include "absl/time/time.h"

namespace lss {
namespace {

std::string Time(absl::Time time) { return absl::FormatTime(time, absl::UTCTimeZone()); }

}  // namespace

void PrintTo(const SyncResult& result, std::ostream* os) {
  *os << "{status " << static_cast<int>(result.status) << ", mismatches [";
  for (const Mismatch& m : result.mismatches) {
    *os << "(" << static_cast<int>(m.kind) << " \"" << absl::CHexEscape(m.billing_value) << "\" \""
        << absl::CHexEscape(m.ka_value) << "\")";
  }
  *os << "], message \"" << absl::CHexEscape(result.message) << "\"}";
}

void PrintTo(const LicenseConfig& config, std::ostream* os) {
  *os << "{" << config.key_number << " " << config.license_class << " capacity " << config.capacity
      << ", features [";
  for (const std::string& feature : config.features)
    *os << "\"" << absl::CHexEscape(feature) << "\" ";
  *os << "], additional keys [";
  for (const AdditionalKey& key : config.additional_keys) {
    *os << key.key_number << ":" << absl::CHexEscape(key.key_type) << " ";
  }
  *os << "], renewal due " << Time(config.renewal_due_time) << ", expires "
      << Time(config.expire_time) << "}";
}

void PrintTo(const LicenseRecord& record, std::ostream* os) {
  *os << "{license " << record.license_id << " ";
  PrintTo(record.config, os);
  *os << " state " << static_cast<int>(record.state) << " sync ";
  PrintTo(record.sync, os);
  *os << " last synced "
      << (record.last_synced_at.has_value() ? Time(*record.last_synced_at) : std::string("never"))
      << ", error \"" << absl::CHexEscape(record.last_sync_error) << "\", created "
      << Time(record.create_time) << ", updated " << Time(record.update_time) << ", version "
      << record.version << (record.order_placing ? ", placing an order" : "") << "}";
}

void PrintTo(const SyncHistoryEntry& entry, std::ostream* os) {
  *os << "{entry " << entry.entry_id << " license " << entry.license_id << " " << entry.key_number
      << " ka " << entry.ka_key_number << " at " << Time(entry.sync_time) << " ";
  if (entry.result.has_value()) {
    PrintTo(*entry.result, os);
  } else {
    *os << "failed: \"" << absl::CHexEscape(entry.error) << "\"";
  }
  *os << " job \"" << entry.job_id << "\"}";
}

}  // namespace lss
