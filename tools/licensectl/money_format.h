// Money as operators read it. The API carries integer minor units (cents)
// with an ISO 4217 code; this turns them into the currency's own decimals,
// in integer arithmetic only, so that what is shown is exactly what is
// charged: 1250 EUR is "12.50 EUR", 1250 JPY is "1250 JPY".
#pragma once

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "licensing/v1/upgrade.pb.h"

namespace licensectl {

// The digits after the decimal point of `currency_code` (ISO 4217 minor
// units): 0 for JPY, KRW and the like, 3 for BHD, KWD and the like, 4 for
// CLF and UYW, otherwise 2 (the rule for most currencies, EUR and USD
// included). Case-insensitive.
int MinorUnitDigits(absl::string_view currency_code);

// `amount_minor` with `digits` decimals: (1250, 2) is "12.50", (-5, 2) is
// "-0.05", (1250, 0) is "1250". Exact over the whole int64 range.
std::string FormatMinorUnits(int64_t amount_minor, int digits);

// "12.50 EUR"; without a currency code, the amount with two decimals.
std::string FormatMoney(const licensing::v1::Money& money);

}  // namespace licensectl
