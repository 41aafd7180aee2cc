// Prices an upgrade (PriceUpgrade): a line per capacity step and per feature
// billing did not have, then the upgrade fee, each step and feature priced
// per term from the catalogue and prorated for what is left of the term.
//
// The price covers only what billing did not have: it is measured from
// billing's configuration, not KA's, so that adopting KA's configuration
// charges for a capacity or a feature that appeared at KA, and never refunds
// one that went away there.
//
// Rules:
// - Capacity: one line per step s of the target class's price list with
//   billing capacity < s <= target capacity, ascending; its term amount is
//   price(s) minus the price of the step before it (for the first line, the
//   price of the largest listed step at or below billing's capacity, 0 when
//   there is none). The target capacity must be a listed step when it is
//   above billing's.
// - Features: one line per feature of the target that billing lacks, by API
//   name.
// - Fee: one line with the catalogue's fee (not prorated) when `charge_fee`
//   (the order upgrades the key at KA) and the fee is not 0.
// - prorate_ppm = (target expiration - now) / term in parts per million,
//   clamped to [0, 1'000'000]; a line's amount is term_amount * ppm / 10^6,
//   rounded half up. The total is the sum of the amounts.
//
// A price the catalogue lacks is FAILED_PRECONDITION (reason
// PRICE_NOT_CONFIGURED) naming the class and the step or feature.
// Pure function; thread-safe.
#pragma once

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/upgrade/price_catalogue.h"
#include "storage/license_model.h"
#include "storage/upgrade_model.h"

namespace lss {

inline constexpr absl::string_view kReasonPriceNotConfigured = "PRICE_NOT_CONFIGURED";

struct PricingRequest {
  LicenseConfig billing;       // what billing has now
  LicenseConfig target;        // what the order leaves billing with
  std::string capacity_unit;   // for descriptions, e.g. "domains"
  bool charge_fee = false;     // the order upgrades the key at KA
  absl::Time now;
};

absl::StatusOr<UpgradePrice> PriceUpgrade(const PriceCatalogue& catalogue, const PricingRequest& request);

}  // namespace lss
