#include "licensectl/money_format.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace licensectl {
namespace {

// ISO 4217 currencies whose minor unit is not the hundredth.
constexpr absl::string_view kNoDecimals[] = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
                                             "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"};
constexpr absl::string_view kThreeDecimals[] = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
constexpr absl::string_view kFourDecimals[] = {"CLF", "UYW"};

template <size_t N>
bool Contains(const absl::string_view (&codes)[N], absl::string_view code) {
  return std::find(std::begin(codes), std::end(codes), code) != std::end(codes);
}

}  // namespace

int MinorUnitDigits(absl::string_view currency_code) {
  const std::string code = absl::AsciiStrToUpper(currency_code);
  if (Contains(kNoDecimals, code)) return 0;
  if (Contains(kThreeDecimals, code)) return 3;
  if (Contains(kFourDecimals, code)) return 4;
  return 2;
}

std::string FormatMinorUnits(int64_t amount_minor, int digits) {
  // The magnitude as unsigned, so that INT64_MIN has one too.
  const bool negative = amount_minor < 0;
  const uint64_t magnitude =
      negative ? uint64_t{0} - static_cast<uint64_t>(amount_minor) : static_cast<uint64_t>(amount_minor);
  std::string digits_text = absl::StrCat(magnitude);
  std::string text;
  if (digits <= 0) {
    text = digits_text;
  } else {
    const size_t width = static_cast<size_t>(digits);
    // At least one digit before the point: 5 cents is 0.05.
    if (digits_text.size() <= width) digits_text.insert(0, width + 1 - digits_text.size(), '0');
    const size_t point = digits_text.size() - width;
    text = absl::StrCat(digits_text.substr(0, point), ".", digits_text.substr(point));
  }
  return negative ? absl::StrCat("-", text) : text;
}

std::string FormatMoney(const licensing::v1::Money& money) {
  if (money.currency_code().empty()) return FormatMinorUnits(money.amount_minor(), 2);
  return absl::StrCat(FormatMinorUnits(money.amount_minor(), MinorUnitDigits(money.currency_code())), " ",
                      money.currency_code());
}

}  // namespace licensectl
