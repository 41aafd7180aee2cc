#include "storage/sql/license_rows.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/key_number.h"
#include "common/status/error_details.h"
#include "soci/soci.h"
#include "storage/license_repository.h"
#include "storage/sql/stored_time.h"
#include "storage/sql/value_codec.h"

namespace lss::storage {

const absl::string_view kLicenseColumns =
    "license_id, key_number, license_class, capacity, features, additional_keys, state, "
    "renewal_due_at, expire_at, created_at, updated_at, sync_status, mismatches, sync_message, "
    "last_synced_at, last_sync_error, version, order_placing, terminating_until";

const absl::string_view kLicenseInsertColumns =
    "key_base, key_number, license_class, capacity, features, additional_keys, state, "
    "renewal_due_at, expire_at, created_at, updated_at, sync_status, mismatches, sync_message, "
    "last_synced_at, last_sync_error, version, order_placing, create_request_id, create_fingerprint";

namespace {

// One row of kLicenseColumns as SOCI delivers it, before decoding.
struct LicenseRow {
  long long license_id = 0;
  std::string key_number;
  std::string license_class;
  long long capacity = 0;
  std::string features;
  std::string additional_keys;
  int state = 0;
  long long renewal_due_at = 0;
  long long expire_at = 0;
  long long created_at = 0;
  long long updated_at = 0;
  int sync_status = 0;
  std::string mismatches;
  std::string sync_message;
  long long last_synced_at = 0;
  soci::indicator last_synced_at_indicator = soci::i_ok;
  std::string last_sync_error;
  long long version = 0;
  int order_placing = 0;
  long long terminating_until = 0;
  soci::indicator terminating_until_indicator = soci::i_null;

  // In kLicenseColumns order.
  void BindTo(soci::statement& statement) {
    statement.exchange(soci::into(license_id));
    statement.exchange(soci::into(key_number));
    statement.exchange(soci::into(license_class));
    statement.exchange(soci::into(capacity));
    statement.exchange(soci::into(features));
    statement.exchange(soci::into(additional_keys));
    statement.exchange(soci::into(state));
    statement.exchange(soci::into(renewal_due_at));
    statement.exchange(soci::into(expire_at));
    statement.exchange(soci::into(created_at));
    statement.exchange(soci::into(updated_at));
    statement.exchange(soci::into(sync_status));
    statement.exchange(soci::into(mismatches));
    statement.exchange(soci::into(sync_message));
    statement.exchange(soci::into(last_synced_at, last_synced_at_indicator));
    statement.exchange(soci::into(last_sync_error));
    statement.exchange(soci::into(version));
    statement.exchange(soci::into(order_placing));
    statement.exchange(soci::into(terminating_until, terminating_until_indicator));
  }

  absl::StatusOr<LicenseRecord> ToRecord() const {
    LicenseRecord record;
    record.license_id = license_id;
    record.config.key_number = key_number;
    record.config.license_class = license_class;
    record.config.capacity = capacity;
    absl::StatusOr<std::vector<std::string>> decoded_features = DecodeFeatures(features);
    if (!decoded_features.ok()) return decoded_features.status();
    record.config.features = *std::move(decoded_features);
    absl::StatusOr<std::vector<AdditionalKey>> decoded_keys = DecodeAdditionalKeys(additional_keys);
    if (!decoded_keys.ok()) return decoded_keys.status();
    record.config.additional_keys = *std::move(decoded_keys);
    record.config.renewal_due_time = FromStoredMicros(renewal_due_at);
    record.config.expire_time = FromStoredMicros(expire_at);
    record.state = static_cast<LicenseState>(state);
    record.sync.status = static_cast<SyncStatus>(sync_status);
    absl::StatusOr<std::vector<Mismatch>> decoded_mismatches = DecodeMismatches(mismatches);
    if (!decoded_mismatches.ok()) return decoded_mismatches.status();
    record.sync.mismatches = *std::move(decoded_mismatches);
    record.sync.message = sync_message;
    if (last_synced_at_indicator == soci::i_ok) {
      record.last_synced_at = FromStoredMicros(last_synced_at);
    }
    record.last_sync_error = last_sync_error;
    record.create_time = FromStoredMicros(created_at);
    record.update_time = FromStoredMicros(updated_at);
    record.version = version;
    record.order_placing = order_placing != 0;
    if (terminating_until_indicator == soci::i_ok) record.terminating_until = FromStoredMicros(terminating_until);
    return record;
  }
};

}  // namespace

absl::StatusOr<std::vector<LicenseRecord>> QueryLicenses(soci::session& session,
                                                         const std::string& sql,
                                                         const SqlParams& params) {
  LicenseRow row;
  std::vector<LicenseRecord> records;
  absl::Status status = ForEachRow(
      session, sql, params, [&](soci::statement& statement) { row.BindTo(statement); },
      [&]() -> absl::Status {
        absl::StatusOr<LicenseRecord> converted = row.ToRecord();
        if (!converted.ok()) return converted.status();
        records.push_back(*std::move(converted));
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return records;
}

absl::Status LicenseNotFound(int64_t license_id) {
  return WithReason(absl::NotFoundError(absl::StrCat("license ", license_id, " not found")),
                    kReasonLicenseNotFound);
}

absl::StatusOr<LicenseRecord> LoadLicenseById(soci::session& session, int64_t license_id,
                                              absl::string_view lock) {
  absl::StatusOr<std::vector<LicenseRecord>> rows =
      QueryLicenses(session, absl::StrCat("SELECT ", kLicenseColumns, " FROM licenses WHERE license_id = :id", lock),
                    SqlParams().Int(license_id));
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return LicenseNotFound(license_id);
  return std::move(rows->front());
}

absl::StatusOr<std::string> KeyBaseOf(absl::string_view key_number, absl::string_view field) {
  absl::StatusOr<KeyNumber> key = ParseKeyNumber(key_number, field);
  if (!key.ok()) return key.status();
  return key->Base();
}

void AppendLicenseInsertValues(const NewLicense& license, absl::string_view key_base,
                               absl::Time now, SqlParams& params) {
  const LicenseConfig& config = license.config;
  const long long now_micros = ToStoredMicros(now);
  params.Text(std::string(key_base))
      .Text(config.key_number)
      .Text(config.license_class)
      .Int(config.capacity)
      .Text(EncodeFeatures(config.features))
      .Text(EncodeAdditionalKeys(config.additional_keys))
      .Int(static_cast<int>(LicenseState::kActive))
      .Int(ToStoredMicros(config.renewal_due_time))
      .Int(ToStoredMicros(config.expire_time))
      .Int(now_micros)
      .Int(now_micros)
      .Int(static_cast<int>(license.sync_status))
      .Text("")
      .Text("");
  if (license.synced_at.has_value()) {
    params.Int(ToStoredMicros(*license.synced_at));
  } else {
    params.Null();
  }
  params.Text("").Int(1).Int(0).TextOrNull(license.request_id).Text(license.request_fingerprint);
}

}  // namespace lss::storage
