#include "server/rpc/license_conversion.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"
#include "server/rpc/time_conversion.h"

namespace lss {
namespace {

// Imported and created licenses are In Sync by construction and carry no
// message of their own.
std::string SyncMessageOf(const SyncResult& sync) {
  if (sync.status == SyncStatus::kNeverSynced) return "Never synced";
  if (sync.message.empty() && sync.status == SyncStatus::kInSync) return "In Sync";
  return sync.message;
}

}  // namespace

std::string EtagOf(int64_t version) { return absl::StrCat("\"", version, "\""); }

licensing::v1::SyncStatus ToProto(SyncStatus status) {
  return static_cast<licensing::v1::SyncStatus>(static_cast<int>(status));
}

licensing::v1::LicenseState ToProto(LicenseState state) {
  return static_cast<licensing::v1::LicenseState>(static_cast<int>(state));
}

void ToProto(const Mismatch& mismatch, licensing::v1::Mismatch* out) {
  out->set_kind(static_cast<licensing::v1::MismatchKind>(static_cast<int>(mismatch.kind)));
  out->set_billing_value(mismatch.billing_value);
  out->set_ka_value(mismatch.ka_value);
}

void ToProto(const AdditionalKey& key, licensing::v1::AdditionalKey* out) {
  out->set_key_number(key.key_number);
  out->set_key_type(key.key_type);
}

void ToProto(const LicenseRecord& record, licensing::v1::License* out) {
  const LicenseConfig& config = record.config;
  out->set_license_id(record.license_id);
  out->set_key_number(config.key_number);
  out->set_license_class(config.license_class);
  out->set_capacity(config.capacity);
  for (const std::string& feature : config.features) out->add_features(feature);
  for (const AdditionalKey& key : config.additional_keys) ToProto(key, out->add_additional_keys());
  out->set_state(ToProto(record.state));
  SetTimestamp(config.renewal_due_time, out->mutable_renewal_due_time());
  SetTimestamp(config.expire_time, out->mutable_expire_time());
  SetTimestamp(record.create_time, out->mutable_create_time());
  SetTimestamp(record.update_time, out->mutable_update_time());
  out->set_sync_status(ToProto(record.sync.status));
  for (const Mismatch& m : record.sync.mismatches) ToProto(m, out->add_mismatches());
  out->set_sync_message(SyncMessageOf(record.sync));
  if (record.last_synced_at) SetTimestamp(*record.last_synced_at, out->mutable_last_synced_at());
  out->set_last_sync_error(record.last_sync_error);
  // A license is used until it expires; a Not In Sync one is not renewed,
  // so its expiration is its end of use (DESIGN.md §4).
  SetTimestamp(config.expire_time, out->mutable_usable_until());
  out->set_etag(EtagOf(record.version));
  out->set_order_placing(record.order_placing);
}

void ToProto(const SyncHistoryEntry& entry, licensing::v1::SyncHistoryEntry* out) {
  out->set_license_id(entry.license_id);
  out->set_key_number(entry.key_number);
  out->set_ka_key_number(entry.ka_key_number);
  SetTimestamp(entry.sync_time, out->mutable_sync_time());
  if (entry.result) {
    out->set_sync_status(ToProto(entry.result->status));
    for (const Mismatch& m : entry.result->mismatches) ToProto(m, out->add_mismatches());
    out->set_message(entry.result->message);
  }
  out->set_error(entry.error);
  out->set_job_id(entry.job_id);
}

absl::StatusOr<LicenseFilter> FromProto(const licensing::v1::LicenseFilter& filter,
                                        absl::string_view field_prefix) {
  LicenseFilter out;
  switch (filter.sync_status()) {
    case licensing::v1::SYNC_STATUS_UNSPECIFIED: break;
    case licensing::v1::SYNC_STATUS_NEVER_SYNCED: out.sync_status = SyncStatus::kNeverSynced; break;
    case licensing::v1::SYNC_STATUS_IN_SYNC: out.sync_status = SyncStatus::kInSync; break;
    case licensing::v1::SYNC_STATUS_NOT_IN_SYNC: out.sync_status = SyncStatus::kNotInSync; break;
    default:
      return InvalidArgumentError(absl::StrCat(field_prefix, "sync_status"), "unknown sync status");
  }
  switch (filter.state()) {
    case licensing::v1::LICENSE_STATE_UNSPECIFIED: break;
    case licensing::v1::LICENSE_STATE_ACTIVE: out.state = LicenseState::kActive; break;
    case licensing::v1::LICENSE_STATE_EXPIRED: out.state = LicenseState::kExpired; break;
    case licensing::v1::LICENSE_STATE_TERMINATED: out.state = LicenseState::kTerminated; break;
    default:
      return InvalidArgumentError(absl::StrCat(field_prefix, "state"), "unknown license state");
  }
  out.license_class = filter.license_class();
  out.key_number_prefix = filter.key_number_prefix();
  if (filter.has_usable_until_before()) {
    absl::StatusOr<absl::Time> before =
        TimeFromRequest(filter.usable_until_before(), absl::StrCat(field_prefix, "usable_until_before"));
    if (!before.ok()) return before.status();
    out.usable_until_before = *before;
  }
  return out;
}

}  // namespace lss
