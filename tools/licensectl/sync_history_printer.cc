#include "licensectl/sync_history_printer.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "licensectl/license_printer.h"
#include "licensectl/text_table.h"
#include "licensectl/value_format.h"

namespace licensectl {
namespace {

using licensing::v1::SyncHistoryEntry;

std::string OrDash(const std::string& value) { return value.empty() ? "-" : value; }

// A failed attempt has no status of its own (the license kept the one it had).
std::string Status(const SyncHistoryEntry& entry) {
  if (!entry.error().empty() || entry.sync_status() == licensing::v1::SYNC_STATUS_UNSPECIFIED) {
    return "Error";
  }
  return SyncStatusName(entry.sync_status());
}

// The message without the status it usually starts with ("Not In Sync: ..."):
// the STATUS column already says it.
std::string Result(const SyncHistoryEntry& entry) {
  if (!entry.error().empty()) return entry.error();
  const std::string status = Status(entry);
  if (entry.message() == status) return "-";
  return OrDash(std::string(absl::StripPrefix(entry.message(), absl::StrCat(status, ": "))));
}

}  // namespace

std::string RenderSyncHistoryTable(const google::protobuf::RepeatedPtrField<SyncHistoryEntry>& entries) {
  TextTable table({{"SYNCED AT"}, {"KEY NUMBER"}, {"KA KEY NUMBER"}, {"STATUS"}, {"JOB"}, {"RESULT"}});
  for (const SyncHistoryEntry& entry : entries) {
    table.AddRow({entry.has_sync_time() ? FormatTimestamp(entry.sync_time()) : "-", entry.key_number(),
                  OrDash(entry.ka_key_number()), Status(entry), OrDash(entry.job_id()), Result(entry)});
  }
  return table.Render();
}

}  // namespace licensectl
