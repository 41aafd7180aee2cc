#include "server/upgrade/price_catalogue.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "common/status/error_details.h"

namespace lss {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

constexpr absl::string_view kHeaderExample = R"(
currency EUR                          # ISO 4217, once
fee 1500                              # upgrade fee, minor units, once
term_days 365                         # length of a term, once (default 365)
capacity PLESK_WEB_PRO 100 12000      # class, capacity step, price per term
feature PLESK_WEB_PRO POWER_PACK 2400 # class, feature API name, price per term
)";

std::string WriteTempFile(const std::string& name, absl::string_view text) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  return path;
}

TEST(ParsePriceCatalogueTest, ParsesTheHeaderExample) {
  absl::StatusOr<PriceCatalogue> catalogue = ParsePriceCatalogue(kHeaderExample);
  ASSERT_TRUE(catalogue.ok()) << catalogue.status();
  EXPECT_EQ(catalogue->currency, "EUR");
  EXPECT_EQ(catalogue->upgrade_fee_minor, 1500);
  EXPECT_EQ(catalogue->term, absl::Hours(24 * 365));
  ASSERT_EQ(catalogue->classes.size(), 1u);
  const ClassPrices& pro = catalogue->classes.at("PLESK_WEB_PRO");
  EXPECT_THAT(pro.capacity_steps, ElementsAre(Pair(100, 12000)));
  EXPECT_THAT(pro.features, ElementsAre(Pair("POWER_PACK", 2400)));
}

TEST(ParsePriceCatalogueTest, SkipsCommentsBlankLinesAndStraySpacing) {
  absl::StatusOr<PriceCatalogue> catalogue = ParsePriceCatalogue(
      "# a whole-line comment\r\n"
      "\r\n"
      "   \t  \n"
      "\tcurrency   USD\t# trailing comment\r\n"
      "capacity VIRTUOZZO 10 42000#no space before the comment\n"
      "capacity VIRTUOZZO 5 24000\n"
      "feature VIRTUOZZO HA_CLUSTER 0");  // no final newline; a free feature
  ASSERT_TRUE(catalogue.ok()) << catalogue.status();
  EXPECT_EQ(catalogue->currency, "USD");
  const ClassPrices& vz = catalogue->classes.at("VIRTUOZZO");
  EXPECT_THAT(vz.capacity_steps, ElementsAre(Pair(5, 24000), Pair(10, 42000)));
  EXPECT_THAT(vz.features, ElementsAre(Pair("HA_CLUSTER", 0)));
}

TEST(ParsePriceCatalogueTest, FeeAndTermHaveDefaults) {
  absl::StatusOr<PriceCatalogue> catalogue = ParsePriceCatalogue("currency EUR\n");
  ASSERT_TRUE(catalogue.ok()) << catalogue.status();
  EXPECT_EQ(catalogue->upgrade_fee_minor, 0);
  EXPECT_EQ(catalogue->term, absl::Hours(24 * 365));
  EXPECT_TRUE(catalogue->classes.empty());

  catalogue = ParsePriceCatalogue("term_days 30\ncurrency EUR\n");
  ASSERT_TRUE(catalogue.ok()) << catalogue.status();
  EXPECT_EQ(catalogue->term, absl::Hours(24 * 30));
}

TEST(ParsePriceCatalogueTest, AcceptsTheLargestAmount) {
  absl::StatusOr<PriceCatalogue> catalogue =
      ParsePriceCatalogue("currency EUR\nfeature X Y 9223372036854775807\n");
  ASSERT_TRUE(catalogue.ok()) << catalogue.status();
  EXPECT_EQ(catalogue->classes.at("X").features.at("Y"), INT64_MAX);
}

struct BadCatalogue {
  const char* name;
  std::string text;
  std::string message;  // the whole message or a part of it
};

class ParsePriceCatalogueErrorTest : public ::testing::TestWithParam<BadCatalogue> {};

TEST_P(ParsePriceCatalogueErrorTest, NamesTheLine) {
  absl::StatusOr<PriceCatalogue> catalogue = ParsePriceCatalogue(GetParam().text);
  ASSERT_FALSE(catalogue.ok());
  EXPECT_EQ(catalogue.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReasonOf(catalogue.status()), "PRICE_CATALOGUE_INVALID");
  EXPECT_THAT(catalogue.status().message(), HasSubstr(GetParam().message));
}

// Line 1 is always a valid currency, so the line number shows which line is blamed.
INSTANTIATE_TEST_SUITE_P(
    EveryErrorKind, ParsePriceCatalogueErrorTest,
    ::testing::Values(
        BadCatalogue{"UnknownStatement", "currency EUR\n\nprice X 1 2\n", "line 3: unknown statement \"price\""},
        BadCatalogue{"MisspelledKeyword", "currency EUR\nCapacity X 1 2\n", "line 2: unknown statement"},
        BadCatalogue{"TooFewWords", "currency EUR\ncapacity X 100\n", "line 2: expected \"capacity CLASS STEP PRICE\""},
        BadCatalogue{"TooManyWords", "currency EUR\nfeature X Y 1 2\n", "line 2: expected \"feature CLASS"},
        BadCatalogue{"CurrencyWithoutCode", "currency\n", "line 1: expected \"currency CODE\""},
        BadCatalogue{"CurrencyLowercase", "currency eur\n", "line 1: currency \"eur\" is not 3 uppercase letters"},
        BadCatalogue{"CurrencyTooLong", "currency EURO\n", "line 1: currency \"EURO\""},
        BadCatalogue{"CurrencyWithDigit", "currency EU1\n", "line 1: currency \"EU1\""},
        BadCatalogue{"CurrencyTwice", "currency EUR\ncurrency EUR\n", "line 2: currency is set twice"},
        BadCatalogue{"FeeTwice", "currency EUR\nfee 1\n#\nfee 1\n", "line 4: fee is set twice"},
        BadCatalogue{"TermTwice", "currency EUR\nterm_days 365\nterm_days 30\n", "line 3: term_days is set twice"},
        BadCatalogue{"NegativeFee", "currency EUR\nfee -1\n", "line 2: fee -1 is negative"},
        BadCatalogue{"NegativeCapacityPrice", "currency EUR\ncapacity X 10 -5\n", "line 2: price -5 is negative"},
        BadCatalogue{"NegativeFeaturePrice", "currency EUR\nfeature X Y -5\n", "line 2: price -5 is negative"},
        BadCatalogue{"FractionalAmount", "currency EUR\nfee 12.50\n", "line 2: fee \"12.50\" is not an integer"},
        BadCatalogue{"AmountTooLarge", "currency EUR\nfeature X Y 9223372036854775808\n",
                     "line 2: price \"9223372036854775808\" is not an integer"},
        BadCatalogue{"AmountNotANumber", "currency EUR\ncapacity X 10 ten\n", "line 2: price \"ten\""},
        BadCatalogue{"TermZero", "currency EUR\nterm_days 0\n", "line 2: term_days \"0\" is not a number of days"},
        BadCatalogue{"TermNegative", "currency EUR\nterm_days -365\n", "line 2: term_days \"-365\""},
        BadCatalogue{"TermNotANumber", "currency EUR\nterm_days year\n", "line 2: term_days \"year\""},
        BadCatalogue{"TermAbsurd", "currency EUR\nterm_days 36501\n", "line 2: term_days \"36501\""},
        BadCatalogue{"CapacityStepZero", "currency EUR\ncapacity X 0 100\n", "line 2: capacity step \"0\" is not a positive"},
        BadCatalogue{"CapacityStepNotANumber", "currency EUR\ncapacity X many 100\n", "line 2: capacity step \"many\""},
        BadCatalogue{"DuplicateCapacityStep", "currency EUR\ncapacity X 10 100\ncapacity Y 10 100\ncapacity X 10 200\n",
                     "line 4: capacity 10 of X is priced twice"},
        BadCatalogue{"DuplicateFeature", "currency EUR\nfeature X Y 1\nfeature Z Y 1\nfeature X Y 1\n",
                     "line 4: feature Y of X is priced twice"},
        BadCatalogue{"MissingCurrency", "# nothing but\nfee 1500\ncapacity X 10 100\n", "no \"currency\" statement"},
        BadCatalogue{"Empty", "", "no \"currency\" statement"}),
    [](const ::testing::TestParamInfo<BadCatalogue>& info) { return std::string(info.param.name); });

TEST(LoadPriceCatalogueTest, ReadsTheFile) {
  const std::string path = WriteTempFile("load_reads.txt", kHeaderExample);
  absl::StatusOr<PriceCatalogue> catalogue = LoadPriceCatalogue(path);
  ASSERT_TRUE(catalogue.ok()) << catalogue.status();
  EXPECT_EQ(catalogue->currency, "EUR");
  EXPECT_EQ(catalogue->classes.at("PLESK_WEB_PRO").capacity_steps.at(100), 12000);
}

TEST(LoadPriceCatalogueTest, MissingFileIsNotFoundNamingThePath) {
  const std::string path = ::testing::TempDir() + "/no_such_catalogue.txt";
  absl::StatusOr<PriceCatalogue> catalogue = LoadPriceCatalogue(path);
  ASSERT_FALSE(catalogue.ok());
  EXPECT_EQ(catalogue.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(catalogue.status().message(), HasSubstr(path));
}

TEST(LoadPriceCatalogueTest, ParseErrorNamesThePathAndTheLine) {
  const std::string path = WriteTempFile("load_bad.txt", "currency EUR\nfee -1\n");
  absl::StatusOr<PriceCatalogue> catalogue = LoadPriceCatalogue(path);
  ASSERT_FALSE(catalogue.ok());
  EXPECT_EQ(catalogue.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReasonOf(catalogue.status()), "PRICE_CATALOGUE_INVALID");
  EXPECT_THAT(catalogue.status().message(), HasSubstr(path));
  EXPECT_THAT(catalogue.status().message(), HasSubstr("line 2: fee -1 is negative"));
}

// ka-mock's main key types, copied from tools/ka-mock/catalogue.cc
// (KeyTypeDefinitions): keep in step with it.
struct KaMainKeyType {
  std::string name;
  std::vector<int64_t> capacity_steps;
  std::vector<std::string> features;
};

std::vector<KaMainKeyType> KaMockMainKeyTypes() {
  return {
      {"PLESK_WEB_ADMIN", {10, 30}, {"LANGUAGE_PACK", "WORDPRESS_TOOLKIT", "BACKUP_CLOUD", "POWER_PACK"}},
      {"PLESK_WEB_PRO",
       {30, 100, 300},
       {"LANGUAGE_PACK", "WORDPRESS_TOOLKIT", "BACKUP_CLOUD", "POWER_PACK", "DEVELOPER_PACK", "UNLIMITED_MAIL"}},
      {"PLESK_WEB_HOST",
       {100, 300, 1000, 10000},
       {"LANGUAGE_PACK", "WORDPRESS_TOOLKIT", "BACKUP_CLOUD", "POWER_PACK", "DEVELOPER_PACK", "UNLIMITED_MAIL",
        "UNLIMITED_DOMAINS"}},
      {"VIRTUOZZO", {5, 10, 25, 50, 100}, {"HA_CLUSTER", "BACKUP_STORAGE", "LIVE_MIGRATION"}},
      {"CLOUDLINUX", {1, 2, 4, 8, 16, 32}, {"KERNELCARE", "CAGEFS", "MYSQL_GOVERNOR"}},
  };
}

TEST(SamplePriceCatalogueTest, PricesEveryStepAndFeatureOfKaMockMainKeyTypes) {
  absl::StatusOr<PriceCatalogue> catalogue = LoadPriceCatalogue(LSS_SOURCE_DIR "/tools/dev/price-catalogue.txt");
  ASSERT_TRUE(catalogue.ok()) << catalogue.status();
  EXPECT_EQ(catalogue->currency, "EUR");
  EXPECT_EQ(catalogue->upgrade_fee_minor, 1500);
  EXPECT_EQ(catalogue->term, absl::Hours(24 * 365));
  for (const KaMainKeyType& type : KaMockMainKeyTypes()) {
    SCOPED_TRACE(type.name);
    ASSERT_TRUE(catalogue->classes.contains(type.name));
    const ClassPrices& prices = catalogue->classes.at(type.name);
    std::vector<int64_t> priced_steps;
    int64_t previous_price = 0;
    for (const auto& [step, price] : prices.capacity_steps) {
      priced_steps.push_back(step);
      EXPECT_GT(price, previous_price) << "capacity " << step << " is not dearer than the step below";
      previous_price = price;
    }
    EXPECT_EQ(priced_steps, type.capacity_steps);
    for (const std::string& feature : type.features) {
      EXPECT_TRUE(prices.features.contains(feature)) << feature;
    }
    EXPECT_EQ(prices.features.size(), type.features.size()) << "prices a feature the class does not offer";
  }
}

}  // namespace
}  // namespace lss
