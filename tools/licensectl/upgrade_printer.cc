#include "licensectl/upgrade_printer.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/message_differencer.h"
#include "licensectl/field_list.h"
#include "licensectl/license_printer.h"
#include "licensectl/money_format.h"
#include "licensectl/text_table.h"
#include "licensectl/value_format.h"

namespace licensectl {
namespace {

using licensing::v1::LicenseConfiguration;
using licensing::v1::PriceLine;
using licensing::v1::Upgrade;

constexpr absl::string_view kAbsent = "-";

std::string ListOrNone(const google::protobuf::RepeatedPtrField<std::string>& items) {
  return items.empty() ? "none" : absl::StrJoin(items, ", ");
}

std::string AdditionalKeys(const LicenseConfiguration& config) {
  std::vector<std::string> keys;
  for (const auto& key : config.additional_keys()) {
    keys.push_back(absl::StrCat(key.key_number(), " (", key.key_type(), ")"));
  }
  return keys.empty() ? "none" : absl::StrJoin(keys, ", ");
}

std::string Capacity(int64_t capacity, absl::string_view unit) {
  return unit.empty() ? absl::StrCat(capacity) : absl::StrCat(capacity, " ", unit);
}

std::string TimeOrAbsent(bool has, const google::protobuf::Timestamp& time) {
  return has ? FormatTimestamp(time) : std::string(kAbsent);
}

// The rows of a configuration, for one column or two side by side.
struct ConfigurationRow {
  absl::string_view label;
  std::string (*value)(const LicenseConfiguration& config, absl::string_view unit);
};

constexpr ConfigurationRow kConfigurationRows[] = {
    {"Key number", [](const LicenseConfiguration& c, absl::string_view) { return c.key_number(); }},
    {"Class", [](const LicenseConfiguration& c, absl::string_view) { return c.license_class(); }},
    {"Capacity", [](const LicenseConfiguration& c, absl::string_view unit) { return Capacity(c.capacity(), unit); }},
    {"Features", [](const LicenseConfiguration& c, absl::string_view) { return ListOrNone(c.features()); }},
    {"Additional keys", [](const LicenseConfiguration& c, absl::string_view) { return AdditionalKeys(c); }},
    {"Expires",
     [](const LicenseConfiguration& c, absl::string_view) { return TimeOrAbsent(c.has_expire_time(), c.expire_time()); }},
};

// Why the wizard starts from KA's configuration, by the sync status the
// session started with.
std::string SyncVerdict(const Upgrade& upgrade, bool configurations_differ) {
  switch (upgrade.sync_status()) {
    case licensing::v1::SYNC_STATUS_IN_SYNC:
      return "In Sync";
    case licensing::v1::SYNC_STATUS_NOT_IN_SYNC:
      return "Not In Sync: KA's configuration will be adopted (the upgrade starts from it)";
    default:
      return absl::StrCat(SyncStatusName(upgrade.sync_status()),
                          configurations_differ ? ": KA's configuration will be adopted (the upgrade starts from it)"
                                                : "");
  }
}

std::string CapacitySteps(const Upgrade& upgrade) {
  const licensing::v1::UpgradeOptions& options = upgrade.options();
  std::vector<std::string> steps;
  for (int64_t step : options.capacity_steps()) {
    steps.push_back(step == upgrade.ka_configuration().capacity() ? absl::StrCat(step, " (current)")
                                                                   : absl::StrCat(step));
  }
  std::string text = steps.empty() ? "none" : absl::StrJoin(steps, ", ");
  if (options.max_capacity() > 0) absl::StrAppend(&text, "; at most ", options.max_capacity());
  return text;
}

// One line per feature: its API name, then its display name in a column.
std::vector<std::string> FeatureOptions(const licensing::v1::UpgradeOptions& options) {
  if (options.features().empty()) return {"none"};
  TextTable table({{"API NAME"}, {"DISPLAY NAME"}});
  for (const auto& feature : options.features()) table.AddRow({feature.api_name(), feature.display_name()});
  return absl::StrSplit(table.RenderRows(), '\n', absl::SkipEmpty());
}

std::string PriceLineKindName(licensing::v1::PriceLineKind kind) {
  return ShortEnumName(*licensing::v1::PriceLineKind_descriptor(), kind, "PRICE_LINE_KIND_");
}

// 734500 ppm: "73.45%".
std::string Share(int64_t ppm) { return absl::StrCat(FormatMinorUnits(ppm / 100, 2), "%"); }

}  // namespace

std::string UpgradeStateName(licensing::v1::UpgradeState state) {
  return ShortEnumName(*licensing::v1::UpgradeState_descriptor(), state, "UPGRADE_STATE_");
}

std::string RenderUpgradeOpening(const Upgrade& upgrade) {
  const LicenseConfiguration& billing = upgrade.billing_configuration();
  const LicenseConfiguration& ka = upgrade.ka_configuration();
  const std::string& unit = upgrade.options().capacity_unit();
  const bool differ = !google::protobuf::util::MessageDifferencer::Equals(billing, ka);

  FieldList head;
  head.Add("Upgrade", absl::StrCat(upgrade.upgrade_id(), " (", UpgradeStateName(upgrade.state()), ")"));
  head.Add("License ID", absl::StrCat(upgrade.license_id()));
  head.Add("Sync status", SyncVerdict(upgrade, differ));
  std::string text = head.Render();

  text += "\n";
  if (differ) {
    TextTable table({{""}, {"BILLING"}, {"KA"}});
    for (const ConfigurationRow& row : kConfigurationRows) {
      table.AddRow({std::string(row.label), row.value(billing, unit), row.value(ka, unit)});
    }
    text += table.Render();
  } else {
    FieldList current;
    for (const ConfigurationRow& row : kConfigurationRows) current.Add(row.label, row.value(ka, unit));
    text += current.Render();
  }

  FieldList offered;
  offered.Add(unit.empty() ? "Capacity steps" : absl::StrCat("Capacity steps (", unit, ")"), CapacitySteps(upgrade));
  offered.AddLines("Features offered", FeatureOptions(upgrade.options()));
  absl::StrAppend(&text, "\n", offered.Render());
  return text;
}

std::string RenderUpgradePrice(const Upgrade& upgrade) {
  const LicenseConfiguration& target = upgrade.target_configuration();
  FieldList head;
  head.Add("Target",
           absl::StrCat(target.license_class(), ", capacity ", Capacity(target.capacity(), upgrade.options().capacity_unit()),
                        ", features ", ListOrNone(target.features())));
  std::string text = head.Render();

  const licensing::v1::UpgradePrice& price = upgrade.price();
  if (price.lines().empty()) {
    absl::StrAppend(&text, "Nothing to charge: billing already pays for this configuration.\n");
    return text;
  }
  using Align = TextTable::Align;
  TextTable table({{"KIND"}, {"ITEM"}, {"DESCRIPTION"}, {"PER TERM", Align::kRight}, {"CHARGED NOW", Align::kRight}});
  for (const PriceLine& line : price.lines()) {
    table.AddRow({PriceLineKindName(line.kind()), line.item(), line.description(),
                  line.has_term_amount() ? FormatMoney(line.term_amount()) : std::string(kAbsent),
                  FormatMoney(line.amount())});
  }
  absl::StrAppend(&text, "\n", table.Render(), "\nTotal charged now: ", FormatMoney(price.total()));
  if (price.prorate_ppm() > 0) {
    absl::StrAppend(&text, " (recurring amounts prorated for the ", Share(price.prorate_ppm()),
                    " of the term left)");
  }
  text += "\n";
  return text;
}

std::string RenderUpgradeOrder(const Upgrade& upgrade) {
  const licensing::v1::UpgradeOrder& order = upgrade.order();
  FieldList fields;
  fields.Add("Upgrade", absl::StrCat(upgrade.upgrade_id(), " (", UpgradeStateName(upgrade.state()), ")"));
  fields.Add("License ID", absl::StrCat(upgrade.license_id()));
  fields.Add("Key number", absl::StrCat(order.old_key_number(), " -> ",
                                        order.new_key_number().empty() ? "(not issued yet)" : order.new_key_number()));
  if (upgrade.state() == licensing::v1::UPGRADE_STATE_COMPLETED) {
    fields.Add("At KA", order.key_administrator_called() ? "key upgraded"
                                                        : "nothing to do: KA's configuration adopted");
  }
  fields.Add("Charged", order.has_total() ? FormatMoney(order.total()) : std::string(kAbsent));
  fields.Add("Placed at", TimeOrAbsent(order.has_place_time(), order.place_time()));
  if (order.has_complete_time()) fields.Add("Completed at", FormatTimestamp(order.complete_time()));
  if (!order.error().empty()) fields.Add("Failed", order.error());
  if (!order.mismatches().empty()) {
    fields.Add("KA differs", "KA's answer did not match the order:");
    for (const auto& mismatch : order.mismatches()) fields.AddDetail(absl::StrCat("  - ", DescribeMismatch(mismatch)));
  }
  return fields.Render();
}

std::string RenderPlacedOrder(const licensing::v1::PlaceUpgradeOrderResponse& placed) {
  const licensing::v1::License& license = placed.license();
  std::string text = absl::StrCat("Order placed.\n", RenderUpgradeOrder(placed.upgrade()));
  absl::StrAppend(&text, "License ", license.license_id(), " (", license.key_number(), ") is ",
                  RenderSyncResult(license));
  return text;
}

std::string RenderUpgradeTable(const google::protobuf::RepeatedPtrField<Upgrade>& upgrades) {
  using Align = TextTable::Align;
  TextTable table({{"UPGRADE ID"},
                   {"LICENSE", Align::kRight},
                   {"KEY NUMBER"},
                   {"STATE"},
                   {"CREATED"},
                   {"UPDATED"},
                   {"TOTAL", Align::kRight}});
  for (const Upgrade& upgrade : upgrades) {
    std::string total(kAbsent);
    if (upgrade.has_order() && upgrade.order().has_total()) {
      total = FormatMoney(upgrade.order().total());
    } else if (upgrade.has_price()) {
      total = FormatMoney(upgrade.price().total());
    }
    table.AddRow({upgrade.upgrade_id(), absl::StrCat(upgrade.license_id()), upgrade.billing_configuration().key_number(),
                  UpgradeStateName(upgrade.state()), TimeOrAbsent(upgrade.has_create_time(), upgrade.create_time()),
                  TimeOrAbsent(upgrade.has_update_time(), upgrade.update_time()), total});
  }
  return table.Render();
}

}  // namespace licensectl
