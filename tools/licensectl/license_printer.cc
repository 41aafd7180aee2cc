#include "licensectl/license_printer.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "licensectl/field_list.h"
#include "licensectl/text_table.h"
#include "licensectl/value_format.h"

namespace licensectl {
namespace {

using licensing::v1::License;

// Shown for a value that is not there, so that a column never looks shifted.
constexpr absl::string_view kAbsent = "-";

std::string ValueOrNone(const std::string& value) { return value.empty() ? "(none)" : value; }

std::string UsableUntil(const License& license) {
  return license.has_usable_until() ? FormatTimestamp(license.usable_until()) : std::string(kAbsent);
}

}  // namespace

std::string SyncStatusName(licensing::v1::SyncStatus status) {
  return TitleCase(
      ShortEnumName(*licensing::v1::SyncStatus_descriptor(), status, "SYNC_STATUS_"));
}

std::string LicenseStateName(licensing::v1::LicenseState state) {
  return ShortEnumName(*licensing::v1::LicenseState_descriptor(), state, "LICENSE_STATE_");
}

std::string MismatchKindName(licensing::v1::MismatchKind kind) {
  return ShortEnumName(*licensing::v1::MismatchKind_descriptor(), kind, "MISMATCH_KIND_");
}

std::string DescribeMismatch(const licensing::v1::Mismatch& mismatch) {
  return absl::StrCat(MismatchKindName(mismatch.kind()), ": billing ",
                      ValueOrNone(mismatch.billing_value()), ", KA ",
                      ValueOrNone(mismatch.ka_value()));
}

std::string DescribeSyncStatus(const License& license) {
  const std::string status = SyncStatusName(license.sync_status());
  const std::string& message = license.sync_message();
  // The server's message usually starts with the status ("Not In Sync: ...",
  // or just "In Sync"); say it once.
  if (message.empty() || message == status) return status;
  if (absl::StartsWith(message, absl::StrCat(status, ": "))) return message;
  return absl::StrCat(status, ": ", message);
}

std::string RenderLicense(const License& license) {
  std::vector<std::string> additional_keys;
  for (const auto& key : license.additional_keys()) {
    additional_keys.push_back(absl::StrCat(key.key_number(), " (", key.key_type(), ")"));
  }

  FieldList fields;
  fields.Add("License ID", absl::StrCat(license.license_id()));
  fields.Add("Key number", license.key_number());
  fields.Add("Class", license.license_class());
  fields.Add("Capacity", absl::StrCat(license.capacity()));
  fields.Add("Features",
             license.features().empty() ? "none" : absl::StrJoin(license.features(), ", "));
  fields.AddLines("Additional keys", additional_keys.empty() ? std::vector<std::string>{"none"} : additional_keys);
  fields.Add("State", LicenseStateName(license.state()));
  if (license.order_placing()) {
    fields.Add("Upgrade order", "being placed: no sync or renewal until it completes");
  }
  fields.Add("Sync status", DescribeSyncStatus(license));
  for (const auto& mismatch : license.mismatches()) {
    fields.AddDetail(absl::StrCat("  - ", DescribeMismatch(mismatch)));
  }
  fields.Add("Last synced at",
             license.has_last_synced_at() ? FormatTimestamp(license.last_synced_at()) : "never");
  if (!license.last_sync_error().empty()) fields.Add("Last sync error", license.last_sync_error());
  fields.Add("Usable until", UsableUntil(license));
  fields.Add("Etag", license.etag());
  return fields.Render();
}

std::string RenderSyncResult(const License& license) {
  std::string text = absl::StrCat(DescribeSyncStatus(license), "\n");
  for (const auto& mismatch : license.mismatches()) {
    absl::StrAppend(&text, "  - ", DescribeMismatch(mismatch), "\n");
  }
  return text;
}

std::string RenderLicenseTable(const google::protobuf::RepeatedPtrField<License>& licenses) {
  using Align = TextTable::Align;
  TextTable table({{"ID", Align::kRight},
                   {"KEY NUMBER"},
                   {"CLASS"},
                   {"CAPACITY", Align::kRight},
                   {"STATUS"},
                   {"USABLE UNTIL"}});
  for (const License& license : licenses) {
    table.AddRow({absl::StrCat(license.license_id()), license.key_number(),
                  license.license_class(), absl::StrCat(license.capacity()),
                  SyncStatusName(license.sync_status()), UsableUntil(license)});
  }
  return table.Render();
}

}  // namespace licensectl
