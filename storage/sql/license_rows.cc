#include "storage/sql/license_rows.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/key_number.h"
#include "common/status/error_details.h"
#include "soci/soci.h"
#include "storage/license_repository.h"
#include "storage/sql/int_column.h"
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
  IntColumn license_id;
  std::string key_number;
  std::string license_class;
  IntColumn capacity;
  std::string features;
  std::string additional_keys;
  IntColumn state;
  IntColumn renewal_due_at;
  IntColumn expire_at;
  IntColumn created_at;
  IntColumn updated_at;
  IntColumn sync_status;
  std::string mismatches;
  std::string sync_message;
  IntColumn last_synced_at;
  std::string last_sync_error;
  IntColumn version;
  IntColumn order_placing;
  IntColumn terminating_until;

  // In kLicenseColumns order.
  void BindTo(soci::statement& statement) {
    license_id.BindTo(statement);
    statement.exchange(soci::into(key_number));
    statement.exchange(soci::into(license_class));
    capacity.BindTo(statement);
    statement.exchange(soci::into(features));
    statement.exchange(soci::into(additional_keys));
    state.BindTo(statement);
    renewal_due_at.BindTo(statement);
    expire_at.BindTo(statement);
    created_at.BindTo(statement);
    updated_at.BindTo(statement);
    sync_status.BindTo(statement);
    statement.exchange(soci::into(mismatches));
    statement.exchange(soci::into(sync_message));
    last_synced_at.BindTo(statement);
    statement.exchange(soci::into(last_sync_error));
    version.BindTo(statement);
    order_placing.BindTo(statement);
    terminating_until.BindTo(statement);
  }

  absl::StatusOr<LicenseRecord> ToRecord() const {
    LicenseRecord record;
    record.license_id = license_id.value();
    record.config.key_number = key_number;
    record.config.license_class = license_class;
    record.config.capacity = capacity.value();
    absl::StatusOr<std::vector<std::string>> decoded_features = DecodeFeatures(features);
    if (!decoded_features.ok()) return decoded_features.status();
    record.config.features = *std::move(decoded_features);
    absl::StatusOr<std::vector<AdditionalKey>> decoded_keys = DecodeAdditionalKeys(additional_keys);
    if (!decoded_keys.ok()) return decoded_keys.status();
    record.config.additional_keys = *std::move(decoded_keys);
    record.config.renewal_due_time = FromStoredMicros(renewal_due_at.value());
    record.config.expire_time = FromStoredMicros(expire_at.value());
    record.state = static_cast<LicenseState>(state.value());
    record.sync.status = static_cast<SyncStatus>(sync_status.value());
    absl::StatusOr<std::vector<Mismatch>> decoded_mismatches = DecodeMismatches(mismatches);
    if (!decoded_mismatches.ok()) return decoded_mismatches.status();
    record.sync.mismatches = *std::move(decoded_mismatches);
    record.sync.message = sync_message;
    if (!last_synced_at.is_null()) record.last_synced_at = FromStoredMicros(last_synced_at.value());
    record.last_sync_error = last_sync_error;
    record.create_time = FromStoredMicros(created_at.value());
    record.update_time = FromStoredMicros(updated_at.value());
    record.version = version.value();
    record.order_placing = order_placing.value() != 0;
    if (!terminating_until.is_null()) record.terminating_until = FromStoredMicros(terminating_until.value());
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
