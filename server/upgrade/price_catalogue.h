// The price catalogue the operator configures (--price_catalogue FILE):
// what each license class charges per term for its capacity steps and
// features, the one-off upgrade fee, the currency and the term length.
// Upgrade prices (upgrade_pricing.h) are computed from it.
//
// The file is plain text, one statement per line, `#` starts a comment:
//
//   currency EUR                          # ISO 4217, once
//   fee 1500                              # upgrade fee, minor units, once
//   term_days 365                         # length of a term, once (default 365)
//   capacity PLESK_WEB_PRO 100 12000      # class, capacity step, price per term
//   feature PLESK_WEB_PRO POWER_PACK 2400 # class, feature API name, price per term
//
// Amounts are integer minor units (cents), never fractions. A repeated
// statement, an unknown word, a negative amount or a missing currency is an
// error naming the line. Pure values and functions; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace lss {

struct ClassPrices {
  std::map<int64_t, int64_t> capacity_steps;    // capacity -> price per term
  std::map<std::string, int64_t> features;      // API name -> price per term
};

struct PriceCatalogue {
  std::string currency;
  int64_t upgrade_fee_minor = 0;
  absl::Duration term = absl::Hours(24 * 365);
  std::map<std::string, ClassPrices> classes;  // by license class
};

// INVALID_ARGUMENT "line N: ..." for text that is not a catalogue.
absl::StatusOr<PriceCatalogue> ParsePriceCatalogue(absl::string_view text);

// Reads and parses the file; NOT_FOUND / PERMISSION_DENIED naming the path
// when it cannot be read.
absl::StatusOr<PriceCatalogue> LoadPriceCatalogue(const std::string& path);

}  // namespace lss
