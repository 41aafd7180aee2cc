#include "server/rpc/upgrade_conversion.h"

#include <string>

#include "common/status/error_details.h"
#include "server/rpc/license_conversion.h"
#include "server/rpc/time_conversion.h"
#include "server/upgrade/upgrade_target.h"

namespace lss {
namespace {

void ToProto(const LicenseConfig& config, licensing::v1::LicenseConfiguration* out) {
  out->set_key_number(config.key_number);
  out->set_license_class(config.license_class);
  out->set_capacity(config.capacity);
  for (const std::string& feature : config.features) out->add_features(feature);
  for (const AdditionalKey& key : config.additional_keys) ToProto(key, out->add_additional_keys());
  SetTimestamp(config.expire_time, out->mutable_expire_time());
}

void ToProto(const UpgradeOptions& options, licensing::v1::UpgradeOptions* out) {
  out->set_capacity_unit(options.capacity_unit);
  for (int64_t step : options.capacity_steps) out->add_capacity_steps(step);
  out->set_max_capacity(options.max_capacity);
  for (const FeatureOffer& offer : options.features) {
    licensing::v1::FeatureOption* feature = out->add_features();
    feature->set_api_name(offer.api_name);
    feature->set_display_name(offer.display_name);
  }
}

void SetMoney(const std::string& currency, int64_t amount_minor, licensing::v1::Money* out) {
  out->set_currency_code(currency);
  out->set_amount_minor(amount_minor);
}

void ToProto(const UpgradePrice& price, licensing::v1::UpgradePrice* out) {
  for (const PriceLine& line : price.lines) {
    licensing::v1::PriceLine* added = out->add_lines();
    added->set_kind(static_cast<licensing::v1::PriceLineKind>(line.kind));
    added->set_item(line.item);
    added->set_description(line.description);
    SetMoney(price.currency, line.term_amount_minor, added->mutable_term_amount());
    SetMoney(price.currency, line.amount_minor, added->mutable_amount());
  }
  SetMoney(price.currency, price.total_minor, out->mutable_total());
  out->set_prorate_ppm(price.prorate_ppm);
  SetTimestamp(price.price_time, out->mutable_price_time());
}

void ToProto(const UpgradeOrder& order, const absl::optional<UpgradePrice>& price,
             licensing::v1::UpgradeOrder* out) {
  out->set_request_id(order.request_id);
  out->set_old_key_number(order.old_key_number);
  out->set_new_key_number(order.new_key_number);
  // The order charges what the session was priced at.
  if (price) {
    licensing::v1::UpgradePrice priced;
    ToProto(*price, &priced);
    *out->mutable_lines() = priced.lines();
    *out->mutable_total() = priced.total();
  }
  out->set_key_administrator_called(order.ka_called);
  for (const Mismatch& mismatch : order.mismatches) ToProto(mismatch, out->add_mismatches());
  SetTimestamp(order.place_time, out->mutable_place_time());
  if (order.complete_time) SetTimestamp(*order.complete_time, out->mutable_complete_time());
  out->set_error(order.error);
}

}  // namespace

void ToProto(const UpgradeRecord& upgrade, licensing::v1::Upgrade* out) {
  out->set_upgrade_id(upgrade.upgrade_id);
  out->set_license_id(upgrade.license_id);
  out->set_state(static_cast<licensing::v1::UpgradeState>(upgrade.state));
  ToProto(upgrade.billing, out->mutable_billing_configuration());
  ToProto(upgrade.ka, out->mutable_ka_configuration());
  out->set_sync_status(ToProto(upgrade.sync_status));
  ToProto(upgrade.options, out->mutable_options());
  if (upgrade.target) ToProto(TargetConfig(upgrade), out->mutable_target_configuration());
  if (upgrade.price) ToProto(*upgrade.price, out->mutable_price());
  if (upgrade.order) ToProto(*upgrade.order, upgrade.price, out->mutable_order());
  out->set_license_etag(EtagOf(upgrade.license_version));
  out->set_created_by(upgrade.created_by);
  SetTimestamp(upgrade.create_time, out->mutable_create_time());
  SetTimestamp(upgrade.update_time, out->mutable_update_time());
  SetTimestamp(upgrade.expire_time, out->mutable_expire_time());
}

absl::StatusOr<UpgradeFilter> FilterOf(const licensing::v1::ListUpgradesRequest& request) {
  UpgradeFilter filter;
  filter.license_id = request.license_id();
  const int state = request.state();
  if (state != licensing::v1::UPGRADE_STATE_UNSPECIFIED) {
    if (state < static_cast<int>(UpgradeState::kStarted) || state > static_cast<int>(UpgradeState::kFailed)) {
      return InvalidArgumentError("state", "is not an UpgradeState");
    }
    filter.state = static_cast<UpgradeState>(state);
  }
  return filter;
}

}  // namespace lss
