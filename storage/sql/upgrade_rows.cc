#include "storage/sql/upgrade_rows.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"
#include "soci/soci.h"
#include "storage/license_repository.h"
#include "storage/sql/field_checks.h"
#include "storage/sql/stored_time.h"
#include "storage/sql/value_codec.h"
#include "storage/upgrade_repository.h"

namespace lss::storage {
namespace {

// The SELECT list of UpgradeRow::BindTo, in its order after seq; also the
// column list of an insert.
constexpr absl::string_view kSeqColumn = "seq";
constexpr absl::string_view kUpgradeColumns =
    "upgrade_id, license_id, state, "
    "billing_key_number, billing_license_class, billing_capacity, billing_features, "
    "billing_additional_keys, billing_renewal_due_at, billing_expire_at, "
    "ka_key_number, ka_license_class, ka_capacity, ka_features, ka_additional_keys, "
    "ka_renewal_due_at, ka_expire_at, "
    "sync_status, capacity_unit, capacity_steps, max_capacity, offered_features, "
    "has_target, target_capacity, target_add_features, "
    "has_price, price_currency, price_lines, price_total, prorate_ppm, priced_at, "
    "has_order, order_request_id, order_old_key_number, order_new_key_number, order_ka_called, "
    "order_mismatches, order_placed_at, order_completed_at, order_error, "
    "license_version, created_by, created_at, updated_at, expire_at, placing_owner, "
    "placing_until, row_version";

// The columns a step rewrites: the state, the columns of AppendOptionalParts,
// updated_at and expire_at; the placing claim's two follow when the step
// writes it.
constexpr absl::string_view kStepAssignments =
    "state = :state, has_target = :has_target, target_capacity = :target_capacity, "
    "target_add_features = :target_add_features, has_price = :has_price, "
    "price_currency = :price_currency, price_lines = :price_lines, price_total = :price_total, "
    "prorate_ppm = :prorate_ppm, priced_at = :priced_at, has_order = :has_order, "
    "order_request_id = :order_request_id, order_old_key_number = :order_old_key_number, "
    "order_new_key_number = :order_new_key_number, order_ka_called = :order_ka_called, "
    "order_mismatches = :order_mismatches, order_placed_at = :order_placed_at, "
    "order_completed_at = :order_completed_at, order_error = :order_error, "
    "updated_at = :updated_at, expire_at = :expire_at";
constexpr absl::string_view kClaimAssignments =
    ", placing_owner = :placing_owner, placing_until = :placing_until";

absl::Status Corrupt(absl::string_view upgrade_id, absl::string_view what) {
  return WithReason(absl::DataLossError(absl::StrCat("upgrade ", upgrade_id, ": ", what)),
                    kReasonDatabaseError);
}

absl::Status CheckConfigFits(absl::string_view prefix, const LicenseConfig& config) {
  absl::Status status =
      CheckLength(absl::StrCat(prefix, ".key_number"), config.key_number, kMaxKeyNumberLength);
  if (status.ok()) {
    status = CheckLength(absl::StrCat(prefix, ".license_class"), config.license_class,
                         kMaxLicenseClassLength);
  }
  return status;
}

// A LicenseConfig's seven columns (billing_* or ka_*) as SOCI delivers them.
struct ConfigColumns {
  std::string key_number;
  std::string license_class;
  long long capacity = 0;
  std::string features;
  std::string additional_keys;
  long long renewal_due_at = 0;
  long long expire_at = 0;

  void BindTo(soci::statement& statement) {
    statement.exchange(soci::into(key_number));
    statement.exchange(soci::into(license_class));
    statement.exchange(soci::into(capacity));
    statement.exchange(soci::into(features));
    statement.exchange(soci::into(additional_keys));
    statement.exchange(soci::into(renewal_due_at));
    statement.exchange(soci::into(expire_at));
  }

  absl::StatusOr<LicenseConfig> ToConfig() const {
    LicenseConfig config;
    config.key_number = key_number;
    config.license_class = license_class;
    config.capacity = capacity;
    absl::StatusOr<std::vector<std::string>> decoded_features = DecodeFeatures(features);
    if (!decoded_features.ok()) return decoded_features.status();
    config.features = *std::move(decoded_features);
    absl::StatusOr<std::vector<AdditionalKey>> decoded_keys = DecodeAdditionalKeys(additional_keys);
    if (!decoded_keys.ok()) return decoded_keys.status();
    config.additional_keys = *std::move(decoded_keys);
    config.renewal_due_time = FromStoredMicros(renewal_due_at);
    config.expire_time = FromStoredMicros(expire_at);
    return config;
  }
};

void AppendConfigValues(const LicenseConfig& config, SqlParams& params) {
  params.Text(config.key_number)
      .Text(config.license_class)
      .Int(config.capacity)
      .Text(EncodeFeatures(config.features))
      .Text(EncodeAdditionalKeys(config.additional_keys))
      .Int(ToStoredMicros(config.renewal_due_time))
      .Int(ToStoredMicros(config.expire_time));
}

// One row of kSeqColumn, kUpgradeColumns as SOCI delivers it, before
// decoding.
struct UpgradeRow {
  long long seq = 0;
  std::string upgrade_id;
  long long license_id = 0;
  int state = 0;
  ConfigColumns billing;
  ConfigColumns ka;
  int sync_status = 0;
  std::string capacity_unit;
  std::string capacity_steps;
  long long max_capacity = 0;
  std::string offered_features;
  int has_target = 0;
  long long target_capacity = 0;
  std::string target_add_features;
  int has_price = 0;
  std::string price_currency;
  std::string price_lines;
  long long price_total = 0;
  long long prorate_ppm = 0;
  long long priced_at = 0;
  int has_order = 0;
  std::string order_request_id;
  std::string order_old_key_number;
  std::string order_new_key_number;
  int order_ka_called = 0;
  std::string order_mismatches;
  long long order_placed_at = 0;
  long long order_completed_at = 0;
  soci::indicator order_completed_indicator = soci::i_ok;
  std::string order_error;
  long long license_version = 0;
  std::string created_by;
  long long created_at = 0;
  long long updated_at = 0;
  long long expire_at = 0;
  std::string placing_owner;
  long long placing_until = 0;
  long long row_version = 0;

  void BindTo(soci::statement& statement) {
    statement.exchange(soci::into(seq));
    statement.exchange(soci::into(upgrade_id));
    statement.exchange(soci::into(license_id));
    statement.exchange(soci::into(state));
    billing.BindTo(statement);
    ka.BindTo(statement);
    statement.exchange(soci::into(sync_status));
    statement.exchange(soci::into(capacity_unit));
    statement.exchange(soci::into(capacity_steps));
    statement.exchange(soci::into(max_capacity));
    statement.exchange(soci::into(offered_features));
    statement.exchange(soci::into(has_target));
    statement.exchange(soci::into(target_capacity));
    statement.exchange(soci::into(target_add_features));
    statement.exchange(soci::into(has_price));
    statement.exchange(soci::into(price_currency));
    statement.exchange(soci::into(price_lines));
    statement.exchange(soci::into(price_total));
    statement.exchange(soci::into(prorate_ppm));
    statement.exchange(soci::into(priced_at));
    statement.exchange(soci::into(has_order));
    statement.exchange(soci::into(order_request_id));
    statement.exchange(soci::into(order_old_key_number));
    statement.exchange(soci::into(order_new_key_number));
    statement.exchange(soci::into(order_ka_called));
    statement.exchange(soci::into(order_mismatches));
    statement.exchange(soci::into(order_placed_at));
    statement.exchange(soci::into(order_completed_at, order_completed_indicator));
    statement.exchange(soci::into(order_error));
    statement.exchange(soci::into(license_version));
    statement.exchange(soci::into(created_by));
    statement.exchange(soci::into(created_at));
    statement.exchange(soci::into(updated_at));
    statement.exchange(soci::into(expire_at));
    statement.exchange(soci::into(placing_owner));
    statement.exchange(soci::into(placing_until));
    statement.exchange(soci::into(row_version));
  }

  absl::StatusOr<UpgradeRecord> ToRecord() const {
    if (state < static_cast<int>(UpgradeState::kStarted) ||
        state > static_cast<int>(UpgradeState::kFailed)) {
      return Corrupt(upgrade_id, absl::StrCat("unknown state ", state));
    }
    if (sync_status < static_cast<int>(SyncStatus::kNeverSynced) ||
        sync_status > static_cast<int>(SyncStatus::kNotInSync)) {
      return Corrupt(upgrade_id, absl::StrCat("unknown sync status ", sync_status));
    }
    UpgradeRecord record;
    record.upgrade_id = upgrade_id;
    record.seq = seq;
    record.license_id = license_id;
    record.state = static_cast<UpgradeState>(state);
    absl::StatusOr<LicenseConfig> billing_config = billing.ToConfig();
    if (!billing_config.ok()) return billing_config.status();
    record.billing = *std::move(billing_config);
    absl::StatusOr<LicenseConfig> ka_config = ka.ToConfig();
    if (!ka_config.ok()) return ka_config.status();
    record.ka = *std::move(ka_config);
    record.sync_status = static_cast<SyncStatus>(sync_status);

    record.options.capacity_unit = capacity_unit;
    absl::StatusOr<std::vector<int64_t>> steps = DecodeCapacitySteps(capacity_steps);
    if (!steps.ok()) return steps.status();
    record.options.capacity_steps = *std::move(steps);
    record.options.max_capacity = max_capacity;
    absl::StatusOr<std::vector<FeatureOffer>> offers = DecodeFeatureOffers(offered_features);
    if (!offers.ok()) return offers.status();
    record.options.features = *std::move(offers);

    if (has_target != 0) {
      UpgradeTarget target;
      target.capacity = target_capacity;
      absl::StatusOr<std::vector<std::string>> add = DecodeFeatures(target_add_features);
      if (!add.ok()) return add.status();
      target.add_features = *std::move(add);
      record.target = std::move(target);
    }
    if (has_price != 0) {
      UpgradePrice price;
      price.currency = price_currency;
      absl::StatusOr<std::vector<PriceLine>> lines = DecodePriceLines(price_lines);
      if (!lines.ok()) return lines.status();
      price.lines = *std::move(lines);
      price.total_minor = price_total;
      price.prorate_ppm = prorate_ppm;
      price.price_time = FromStoredMicros(priced_at);
      record.price = std::move(price);
    }
    if (has_order != 0) {
      UpgradeOrder order;
      order.request_id = order_request_id;
      order.old_key_number = order_old_key_number;
      order.new_key_number = order_new_key_number;
      order.ka_called = order_ka_called != 0;
      absl::StatusOr<std::vector<Mismatch>> mismatches = DecodeMismatches(order_mismatches);
      if (!mismatches.ok()) return mismatches.status();
      order.mismatches = *std::move(mismatches);
      order.place_time = FromStoredMicros(order_placed_at);
      if (order_completed_indicator == soci::i_ok) {
        order.complete_time = FromStoredMicros(order_completed_at);
      }
      order.error = order_error;
      record.order = std::move(order);
    }

    record.license_version = license_version;
    record.created_by = created_by;
    record.create_time = FromStoredMicros(created_at);
    record.update_time = FromStoredMicros(updated_at);
    record.expire_time = FromStoredMicros(expire_at);
    record.placing_owner = placing_owner;
    record.placing_until = FromStoredMicros(placing_until);
    record.row_version = row_version;
    return record;
  }
};

// The columns of the target, the price and the order, from has_target to
// order_error in kUpgradeColumns order; the zero values of an unset one.
void AppendOptionalParts(const UpgradeRecord& upgrade, SqlParams& params) {
  const UpgradeTarget target = upgrade.target.value_or(UpgradeTarget{});
  params.Int(upgrade.target.has_value() ? 1 : 0)
      .Int(target.capacity)
      .Text(EncodeFeatures(target.add_features));
  const UpgradePrice price = upgrade.price.value_or(UpgradePrice{});
  params.Int(upgrade.price.has_value() ? 1 : 0)
      .Text(price.currency)
      .Text(EncodePriceLines(price.lines))
      .Int(price.total_minor)
      .Int(price.prorate_ppm)
      .Int(ToStoredMicros(price.price_time));
  const UpgradeOrder order = upgrade.order.value_or(UpgradeOrder{});
  params.Int(upgrade.order.has_value() ? 1 : 0)
      .Text(order.request_id)
      .Text(order.old_key_number)
      .Text(order.new_key_number)
      .Int(order.ka_called ? 1 : 0)
      .Text(EncodeMismatches(order.mismatches))
      .Int(ToStoredMicros(order.place_time));
  if (order.complete_time.has_value()) {
    params.Int(ToStoredMicros(*order.complete_time));
  } else {
    params.Null();
  }
  params.Text(order.error);
}

}  // namespace

absl::Status CheckUpgradeFits(const UpgradeRecord& upgrade) {
  if (upgrade.upgrade_id.empty()) return InvalidArgumentError("upgrade_id", "must not be empty");
  absl::Status status = CheckLength("upgrade_id", upgrade.upgrade_id, kMaxUpgradeIdLength);
  if (status.ok()) status = CheckConfigFits("billing", upgrade.billing);
  if (status.ok()) status = CheckConfigFits("ka", upgrade.ka);
  if (status.ok()) {
    status =
        CheckLength("options.capacity_unit", upgrade.options.capacity_unit, kMaxCapacityUnitLength);
  }
  if (status.ok() && upgrade.price.has_value()) {
    status = CheckLength("price.currency", upgrade.price->currency, kMaxCurrencyLength);
  }
  if (status.ok() && upgrade.order.has_value()) {
    const UpgradeOrder& order = *upgrade.order;
    status = CheckLength("order.request_id", order.request_id, kMaxRequestIdLength);
    if (status.ok()) {
      status = CheckLength("order.old_key_number", order.old_key_number, kMaxKeyNumberLength);
    }
    if (status.ok()) {
      status = CheckLength("order.new_key_number", order.new_key_number, kMaxKeyNumberLength);
    }
  }
  if (status.ok()) status = CheckLength("created_by", upgrade.created_by, kMaxCreatedByLength);
  if (status.ok()) status = CheckLength("placing_owner", upgrade.placing_owner, kMaxOwnerLength);
  return status;
}

absl::StatusOr<std::vector<UpgradeRecord>> QueryUpgrades(soci::session& session,
                                                         absl::string_view where,
                                                         const SqlParams& params) {
  UpgradeRow row;
  std::vector<UpgradeRecord> records;
  absl::Status status = ForEachRow(
      session, absl::StrCat("SELECT ", kSeqColumn, ", ", kUpgradeColumns, " FROM upgrades ", where),
      params, [&](soci::statement& statement) { row.BindTo(statement); },
      [&]() -> absl::Status {
        absl::StatusOr<UpgradeRecord> converted = row.ToRecord();
        if (!converted.ok()) return converted.status();
        records.push_back(*std::move(converted));
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return records;
}

absl::StatusOr<UpgradeRecord> LoadUpgrade(soci::session& session, absl::string_view upgrade_id) {
  absl::StatusOr<std::vector<UpgradeRecord>> rows = QueryUpgrades(
      session, "WHERE upgrade_id = :upgrade_id", SqlParams().Text(std::string(upgrade_id)));
  if (!rows.ok()) return rows.status();
  if (rows->empty()) {
    return WithReason(absl::NotFoundError(absl::StrCat("upgrade ", upgrade_id, " not found")),
                      kReasonUpgradeNotFound);
  }
  return std::move(rows->front());
}

void InsertUpgrade(soci::session& session, const Dialect& dialect, const UpgradeRecord& upgrade) {
  SqlParams params;
  params.Text(upgrade.upgrade_id).Int(upgrade.license_id).Int(static_cast<int>(upgrade.state));
  AppendConfigValues(upgrade.billing, params);
  AppendConfigValues(upgrade.ka, params);
  const UpgradeOptions& options = upgrade.options;
  params.Int(static_cast<int>(upgrade.sync_status))
      .Text(options.capacity_unit)
      .Text(EncodeCapacitySteps(options.capacity_steps))
      .Int(options.max_capacity)
      .Text(EncodeFeatureOffers(options.features));
  AppendOptionalParts(upgrade, params);
  params.Int(upgrade.license_version)
      .Text(upgrade.created_by)
      .Int(ToStoredMicros(upgrade.create_time))
      .Int(ToStoredMicros(upgrade.update_time))
      .Int(ToStoredMicros(upgrade.expire_time))
      .Text(upgrade.placing_owner)
      .Int(ToStoredMicros(upgrade.placing_until))
      .Int(1);
  ExecuteSql(session,
             absl::StrCat("INSERT INTO upgrades (", kUpgradeColumns, ") VALUES ",
                          dialect.RowPlaceholders(0, params.size())),
             params);
}

absl::Status WriteUpgradeStep(soci::session& session, const UpgradeRecord& next, StepWrite write) {
  SqlParams params;
  params.Int(static_cast<int>(next.state));
  AppendOptionalParts(next, params);
  params.Int(ToStoredMicros(next.update_time)).Int(ToStoredMicros(next.expire_time));
  std::string sql = absl::StrCat("UPDATE upgrades SET ", kStepAssignments);
  if (write == StepWrite::kWithPlacingClaim) {
    absl::StrAppend(&sql, kClaimAssignments);
    params.Text(next.placing_owner).Int(ToStoredMicros(next.placing_until));
  }
  sql += ", row_version = row_version + 1 "
         "WHERE upgrade_id = :upgrade_id AND row_version = :row_version";
  params.Text(next.upgrade_id).Int(next.row_version);
  if (ExecuteSql(session, sql, params) == 1) return absl::OkStatus();
  if (!QueryInt(session, "SELECT seq FROM upgrades WHERE upgrade_id = :upgrade_id",
                SqlParams().Text(next.upgrade_id))) {
    return WithReason(absl::NotFoundError(absl::StrCat("upgrade ", next.upgrade_id, " not found")),
                      kReasonUpgradeNotFound);
  }
  return WithReason(absl::AbortedError(absl::StrCat("upgrade ", next.upgrade_id,
                                                    " changed since it was read (row version ",
                                                    next.row_version, "): read it again")),
                    kReasonUpgradeChanged);
}

}  // namespace lss::storage
