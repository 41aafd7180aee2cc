#include "server/upgrade/upgrade_pricing.h"

#include <algorithm>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"

namespace lss {
namespace {

constexpr int64_t kPpmPerTerm = 1'000'000;

// floor((numerator + denominator / 2) / denominator): half up, also for a
// negative numerator (a catalogue may price a larger step lower).
absl::int128 DivideRoundingHalfUp(absl::int128 numerator, absl::int128 denominator) {
  absl::int128 shifted = numerator * 2 + denominator;
  absl::int128 twice = denominator * 2;
  absl::int128 quotient = shifted / twice;
  if (shifted % twice != 0 && shifted < 0) --quotient;  // int128 division truncates toward zero
  return quotient;
}

int64_t ProratePpm(absl::Time expire_time, absl::Time now, absl::Duration term) {
  const absl::Duration left = expire_time - now;
  if (left <= absl::ZeroDuration()) return 0;
  if (left >= term) return kPpmPerTerm;
  // Both below the term here, so both fit int64 nanoseconds.
  return static_cast<int64_t>(DivideRoundingHalfUp(
      absl::int128(absl::ToInt64Nanoseconds(left)) * kPpmPerTerm, absl::ToInt64Nanoseconds(term)));
}

absl::Status NotConfigured(absl::string_view license_class, absl::string_view what) {
  absl::Status status = absl::FailedPreconditionError(
      absl::StrCat("the price catalogue has no price for ", what, " of license class ", license_class));
  status = WithReason(std::move(status), kReasonPriceNotConfigured);
  return WithMetadata(std::move(status), "license_class", license_class);
}

PriceLine ProratedLine(PriceLineKind kind, std::string item, std::string description, int64_t term_amount,
                       int64_t ppm) {
  PriceLine line;
  line.kind = kind;
  line.item = std::move(item);
  line.description = std::move(description);
  line.term_amount_minor = term_amount;
  // |amount| <= |term_amount| since ppm <= 10^6, so it fits back in int64.
  line.amount_minor = static_cast<int64_t>(DivideRoundingHalfUp(absl::int128(term_amount) * ppm, kPpmPerTerm));
  return line;
}

absl::Status AddCapacityLines(const ClassPrices* prices, const PricingRequest& request, int64_t ppm,
                              std::vector<PriceLine>& lines) {
  const int64_t from = request.billing.capacity;
  const int64_t to = request.target.capacity;
  if (to <= from) return absl::OkStatus();  // never refunded
  const std::string& license_class = request.target.license_class;
  if (prices == nullptr || !prices->capacity_steps.contains(to)) {
    return NotConfigured(license_class, absl::StrCat("capacity ", to));
  }
  const std::map<int64_t, int64_t>& steps = prices->capacity_steps;
  auto step = steps.upper_bound(from);  // the first step above billing's capacity
  int64_t previous_price = step == steps.begin() ? 0 : std::prev(step)->second;
  int64_t previous_capacity = from;
  const std::string unit = request.capacity_unit.empty() ? "" : absl::StrCat(" ", request.capacity_unit);
  for (; step != steps.end() && step->first <= to; ++step) {
    lines.push_back(ProratedLine(PriceLineKind::kCapacity, absl::StrCat(step->first),
                                 absl::StrCat("Capacity ", previous_capacity, " -> ", step->first, unit),
                                 step->second - previous_price, ppm));
    previous_capacity = step->first;
    previous_price = step->second;
  }
  return absl::OkStatus();
}

absl::Status AddFeatureLines(const ClassPrices* prices, const PricingRequest& request, int64_t ppm,
                             std::vector<PriceLine>& lines) {
  std::vector<std::string> have = request.billing.features;
  std::vector<std::string> want = request.target.features;
  std::sort(have.begin(), have.end());
  std::sort(want.begin(), want.end());
  std::vector<std::string> added;
  std::set_difference(want.begin(), want.end(), have.begin(), have.end(), std::back_inserter(added));
  added.erase(std::unique(added.begin(), added.end()), added.end());
  for (const std::string& feature : added) {
    if (prices == nullptr || !prices->features.contains(feature)) {
      return NotConfigured(request.target.license_class, absl::StrCat("feature ", feature));
    }
    auto price = prices->features.find(feature);
    lines.push_back(
        ProratedLine(PriceLineKind::kFeature, feature, absl::StrCat("Add ", feature), price->second, ppm));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<UpgradePrice> PriceUpgrade(const PriceCatalogue& catalogue, const PricingRequest& request) {
  if (catalogue.term <= absl::ZeroDuration()) {
    return WithReason(absl::FailedPreconditionError("the price catalogue's term is not positive"),
                      kReasonPriceNotConfigured);
  }
  UpgradePrice price;
  price.currency = catalogue.currency;
  price.prorate_ppm = ProratePpm(request.target.expire_time, request.now, catalogue.term);
  price.price_time = request.now;

  // A class the catalogue lacks is only an error once something of it is priced.
  auto found = catalogue.classes.find(request.target.license_class);
  const ClassPrices* prices = found == catalogue.classes.end() ? nullptr : &found->second;
  if (absl::Status s = AddCapacityLines(prices, request, price.prorate_ppm, price.lines); !s.ok()) return s;
  if (absl::Status s = AddFeatureLines(prices, request, price.prorate_ppm, price.lines); !s.ok()) return s;
  if (request.charge_fee && catalogue.upgrade_fee_minor != 0) {
    price.lines.push_back(PriceLine{.kind = PriceLineKind::kUpgradeFee,
                                    .item = "fee",
                                    .description = "Upgrade fee",
                                    .term_amount_minor = catalogue.upgrade_fee_minor,
                                    .amount_minor = catalogue.upgrade_fee_minor});
  }

  // Each line fits int64, their sum need not: features are priced independently.
  absl::int128 total = 0;
  for (const PriceLine& line : price.lines) total += line.amount_minor;
  if (total > std::numeric_limits<int64_t>::max() || total < std::numeric_limits<int64_t>::min()) {
    return WithReason(absl::OutOfRangeError("the upgrade's total price does not fit in 64 bits of minor units"),
                      "PRICE_OUT_OF_RANGE");
  }
  price.total_minor = static_cast<int64_t>(total);
  return price;
}

}  // namespace lss
