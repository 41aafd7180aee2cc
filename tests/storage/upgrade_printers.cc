#include "tests/storage/upgrade_printers.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/time/time.h"
#include "tests/storage/license_printers.h"

namespace lss {
namespace {

std::string Time(absl::Time time) { return absl::FormatTime(time, absl::UTCTimeZone()); }

std::string Quoted(const std::string& text) { return "\"" + absl::CHexEscape(text) + "\""; }

}  // namespace

void PrintTo(const UpgradeOptions& options, std::ostream* os) {
  *os << "{unit " << Quoted(options.capacity_unit) << ", steps [";
  for (int64_t step : options.capacity_steps) *os << step << " ";
  *os << "], max " << options.max_capacity << ", features [";
  for (const FeatureOffer& offer : options.features) {
    *os << Quoted(offer.api_name) << ":" << Quoted(offer.display_name) << " ";
  }
  *os << "]}";
}

void PrintTo(const UpgradePrice& price, std::ostream* os) {
  *os << "{" << Quoted(price.currency) << " lines [";
  for (const PriceLine& line : price.lines) {
    *os << "(" << static_cast<int>(line.kind) << " " << Quoted(line.item) << " "
        << Quoted(line.description) << " " << line.term_amount_minor << " " << line.amount_minor
        << ")";
  }
  *os << "], total " << price.total_minor << ", prorate " << price.prorate_ppm << " ppm, at "
      << Time(price.price_time) << "}";
}

void PrintTo(const UpgradeOrder& order, std::ostream* os) {
  *os << "{request " << Quoted(order.request_id) << ", " << order.old_key_number << " -> "
      << order.new_key_number << (order.ka_called ? ", KA called" : ", KA not called")
      << ", mismatches [";
  for (const Mismatch& m : order.mismatches) {
    *os << "(" << static_cast<int>(m.kind) << " " << Quoted(m.billing_value) << " "
        << Quoted(m.ka_value) << ")";
  }
  *os << "], placed " << Time(order.place_time) << ", completed "
      << (order.complete_time.has_value() ? Time(*order.complete_time) : std::string("never"))
      << ", error " << Quoted(order.error) << "}";
}

void PrintTo(const UpgradeRecord& upgrade, std::ostream* os) {
  *os << "{upgrade " << upgrade.upgrade_id << " #" << upgrade.seq << " license "
      << upgrade.license_id << " state " << static_cast<int>(upgrade.state) << " billing ";
  PrintTo(upgrade.billing, os);
  *os << " ka ";
  PrintTo(upgrade.ka, os);
  *os << " sync status " << static_cast<int>(upgrade.sync_status) << " options ";
  PrintTo(upgrade.options, os);
  *os << " target ";
  if (upgrade.target.has_value()) {
    *os << "{capacity " << upgrade.target->capacity << ", add [";
    for (const std::string& feature : upgrade.target->add_features) *os << Quoted(feature) << " ";
    *os << "]}";
  } else {
    *os << "unset";
  }
  *os << " price ";
  if (upgrade.price.has_value()) {
    PrintTo(*upgrade.price, os);
  } else {
    *os << "unset";
  }
  *os << " order ";
  if (upgrade.order.has_value()) {
    PrintTo(*upgrade.order, os);
  } else {
    *os << "unset";
  }
  *os << " license version " << upgrade.license_version << ", by " << Quoted(upgrade.created_by)
      << ", created " << Time(upgrade.create_time) << ", updated " << Time(upgrade.update_time)
      << ", expires " << Time(upgrade.expire_time) << ", placing " << Quoted(upgrade.placing_owner)
      << " until " << Time(upgrade.placing_until) << ", row version " << upgrade.row_version << "}";
}

}  // namespace lss
