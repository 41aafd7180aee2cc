// Integer minor units shown in the currency's decimals, exactly.
#include "licensectl/money_format.h"

#include <cstdint>
#include <limits>

#include "gtest/gtest.h"

namespace licensectl {
namespace {

licensing::v1::Money Money(const std::string& currency, int64_t minor) {
  licensing::v1::Money money;
  money.set_currency_code(currency);
  money.set_amount_minor(minor);
  return money;
}

TEST(MoneyFormatTest, MinorUnitsBecomeTheCurrencysDecimals) {
  EXPECT_EQ(FormatMoney(Money("EUR", 1250)), "12.50 EUR");
  EXPECT_EQ(FormatMoney(Money("EUR", 7056)), "70.56 EUR");
  EXPECT_EQ(FormatMoney(Money("USD", 100)), "1.00 USD");
  EXPECT_EQ(FormatMoney(Money("EUR", 0)), "0.00 EUR");
  EXPECT_EQ(FormatMoney(Money("EUR", 5)), "0.05 EUR");
  EXPECT_EQ(FormatMoney(Money("EUR", 99)), "0.99 EUR");
  EXPECT_EQ(FormatMoney(Money("EUR", 123456789)), "1234567.89 EUR");
  EXPECT_EQ(FormatMoney(Money("EUR", -1250)), "-12.50 EUR") << "a credit";
  EXPECT_EQ(FormatMoney(Money("EUR", -5)), "-0.05 EUR");
}

TEST(MoneyFormatTest, CurrenciesWithOtherMinorUnits) {
  EXPECT_EQ(FormatMoney(Money("JPY", 1250)), "1250 JPY");
  EXPECT_EQ(FormatMoney(Money("KWD", 1250)), "1.250 KWD");
  EXPECT_EQ(FormatMoney(Money("CLF", 1250)), "0.1250 CLF");
  EXPECT_EQ(MinorUnitDigits("jpy"), 0) << "case-insensitive";
  EXPECT_EQ(MinorUnitDigits("EUR"), 2);
  EXPECT_EQ(MinorUnitDigits("XYZ"), 2) << "an unknown code takes the common rule";
  EXPECT_EQ(FormatMoney(Money("", 1250)), "12.50") << "no code: two decimals, no suffix";
}

TEST(MoneyFormatTest, ExactOverTheWholeRange) {
  EXPECT_EQ(FormatMinorUnits(std::numeric_limits<int64_t>::max(), 2), "92233720368547758.07");
  EXPECT_EQ(FormatMinorUnits(std::numeric_limits<int64_t>::min(), 2), "-92233720368547758.08");
  EXPECT_EQ(FormatMinorUnits(std::numeric_limits<int64_t>::min(), 0), "-9223372036854775808");
  EXPECT_EQ(FormatMinorUnits(1, 4), "0.0001");
}

}  // namespace
}  // namespace licensectl
