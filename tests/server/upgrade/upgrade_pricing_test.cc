#include "server/upgrade/upgrade_pricing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"

namespace lss {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
const absl::Time kNow = absl::FromUnixSeconds(1'700'000'000);
const absl::Duration kTerm = absl::Hours(24 * 365);

PriceCatalogue TestCatalogue() {
  PriceCatalogue catalogue;
  catalogue.currency = "EUR";
  catalogue.upgrade_fee_minor = 1500;
  catalogue.term = kTerm;
  catalogue.classes["PLESK_WEB_PRO"] = {
      .capacity_steps = {{30, 19200}, {100, 26400}, {300, 36000}},
      .features = {{"LANGUAGE_PACK", 1200}, {"POWER_PACK", 2400}, {"WORDPRESS_TOOLKIT", 3600}}};
  catalogue.classes["PLESK_WEB_HOST"] = {.capacity_steps = {{100, 33600}, {300, 42000}, {1000, 60000}},
                                         .features = {{"UNLIMITED_DOMAINS", 6000}}};
  return catalogue;
}

// Expires a whole term from kNow unless a test moves it.
LicenseConfig Config(std::string license_class, int64_t capacity, std::vector<std::string> features = {}) {
  LicenseConfig config;
  config.key_number = "PLSK.00000001.0000";
  config.license_class = std::move(license_class);
  config.capacity = capacity;
  config.features = std::move(features);
  config.expire_time = kNow + kTerm;
  return config;
}

PricingRequest Request(LicenseConfig billing, LicenseConfig target, bool charge_fee = false) {
  return PricingRequest{.billing = std::move(billing),
                        .target = std::move(target),
                        .capacity_unit = "domains",
                        .charge_fee = charge_fee,
                        .now = kNow};
}

// One line as text, so that a failing expectation prints something readable.
std::vector<std::string> Lines(const UpgradePrice& price) {
  std::vector<std::string> lines;
  for (const PriceLine& line : price.lines) {
    const char* kind = line.kind == PriceLineKind::kCapacity  ? "capacity"
                       : line.kind == PriceLineKind::kFeature ? "feature"
                                                              : "fee";
    lines.push_back(absl::StrCat(kind, " ", line.item, " \"", line.description, "\" ", line.term_amount_minor, " ",
                                 line.amount_minor));
  }
  return lines;
}

absl::StatusOr<UpgradePrice> PriceWithExpiry(const PriceCatalogue& catalogue, absl::Time expire_time,
                                             bool charge_fee = false) {
  LicenseConfig target = Config("PLESK_WEB_PRO", 100, {"POWER_PACK"});
  target.expire_time = expire_time;
  return PriceUpgrade(catalogue, Request(Config("PLESK_WEB_PRO", 30), target, charge_fee));
}

TEST(PriceUpgradeTest, CapacityAcrossSeveralStepsPricesEachStepsDifference) {
  absl::StatusOr<UpgradePrice> price =
      PriceUpgrade(TestCatalogue(), Request(Config("PLESK_WEB_PRO", 30), Config("PLESK_WEB_PRO", 300)));
  ASSERT_TRUE(price.ok()) << price.status();
  EXPECT_THAT(Lines(*price), ElementsAre("capacity 100 \"Capacity 30 -> 100 domains\" 7200 7200",
                                         "capacity 300 \"Capacity 100 -> 300 domains\" 9600 9600"));
  EXPECT_EQ(price->total_minor, 16800);
  EXPECT_EQ(price->currency, "EUR");
  EXPECT_EQ(price->prorate_ppm, 1'000'000);
  EXPECT_EQ(price->price_time, kNow);
}

TEST(PriceUpgradeTest, BillingCapacityBetweenStepsStartsFromTheStepBelowIt) {
  absl::StatusOr<UpgradePrice> price =
      PriceUpgrade(TestCatalogue(), Request(Config("PLESK_WEB_PRO", 50), Config("PLESK_WEB_PRO", 300)));
  ASSERT_TRUE(price.ok()) << price.status();
  EXPECT_THAT(Lines(*price), ElementsAre("capacity 100 \"Capacity 50 -> 100 domains\" 7200 7200",
                                         "capacity 300 \"Capacity 100 -> 300 domains\" 9600 9600"));
}

TEST(PriceUpgradeTest, BillingCapacityBelowEveryStepStartsFromZero) {
  absl::StatusOr<UpgradePrice> price =
      PriceUpgrade(TestCatalogue(), Request(Config("PLESK_WEB_PRO", 10), Config("PLESK_WEB_PRO", 30)));
  ASSERT_TRUE(price.ok()) << price.status();
  EXPECT_THAT(Lines(*price), ElementsAre("capacity 30 \"Capacity 10 -> 30 domains\" 19200 19200"));
}

TEST(PriceUpgradeTest, AdoptingALowerCapacityAtKaIsNeitherChargedNorRefunded) {
  // KA lowered the capacity to 100 and added a feature: only the feature is new.
  absl::StatusOr<UpgradePrice> price = PriceUpgrade(
      TestCatalogue(), Request(Config("PLESK_WEB_PRO", 300), Config("PLESK_WEB_PRO", 100, {"POWER_PACK"})));
  ASSERT_TRUE(price.ok()) << price.status();
  EXPECT_THAT(Lines(*price), ElementsAre("feature POWER_PACK \"Add POWER_PACK\" 2400 2400"));
  EXPECT_EQ(price->total_minor, 2400);
}

// BACKUP_CLOUD went away at KA: not refunded.
TEST(PriceUpgradeTest, ChargesOnlyFeaturesBillingLacksByApiName) {
  absl::StatusOr<UpgradePrice> price = PriceUpgrade(
      TestCatalogue(),
      Request(Config("PLESK_WEB_PRO", 100, {"LANGUAGE_PACK", "BACKUP_CLOUD"}),
              Config("PLESK_WEB_PRO", 100, {"WORDPRESS_TOOLKIT", "LANGUAGE_PACK", "POWER_PACK"})));
  ASSERT_TRUE(price.ok()) << price.status();
  EXPECT_THAT(Lines(*price), ElementsAre("feature POWER_PACK \"Add POWER_PACK\" 2400 2400",
                                         "feature WORDPRESS_TOOLKIT \"Add WORDPRESS_TOOLKIT\" 3600 3600"));
  EXPECT_EQ(price->total_minor, 6000);
}

TEST(PriceUpgradeTest, LinesAreCapacityThenFeaturesThenTheFee) {
  absl::StatusOr<UpgradePrice> price = PriceUpgrade(
      TestCatalogue(), Request(Config("PLESK_WEB_PRO", 30),
                               Config("PLESK_WEB_PRO", 100, {"LANGUAGE_PACK", "POWER_PACK"}), /*charge_fee=*/true));
  ASSERT_TRUE(price.ok()) << price.status();
  EXPECT_THAT(Lines(*price), ElementsAre("capacity 100 \"Capacity 30 -> 100 domains\" 7200 7200",
                                         "feature LANGUAGE_PACK \"Add LANGUAGE_PACK\" 1200 1200",
                                         "feature POWER_PACK \"Add POWER_PACK\" 2400 2400",
                                         "fee fee \"Upgrade fee\" 1500 1500"));
  EXPECT_EQ(price->total_minor, 7200 + 1200 + 2400 + 1500);
}

TEST(PriceUpgradeTest, FeeOnlyWhenChargedAndNotZero) {
  const PricingRequest adopt = Request(Config("PLESK_WEB_PRO", 30), Config("PLESK_WEB_PRO", 30, {"POWER_PACK"}));
  absl::StatusOr<UpgradePrice> price = PriceUpgrade(TestCatalogue(), adopt);
  ASSERT_TRUE(price.ok()) << price.status();
  EXPECT_THAT(Lines(*price), ElementsAre("feature POWER_PACK \"Add POWER_PACK\" 2400 2400"));

  PriceCatalogue free_upgrades = TestCatalogue();
  free_upgrades.upgrade_fee_minor = 0;
  PricingRequest order = adopt;
  order.charge_fee = true;
  price = PriceUpgrade(free_upgrades, order);
  ASSERT_TRUE(price.ok()) << price.status();
  EXPECT_THAT(Lines(*price), ElementsAre("feature POWER_PACK \"Add POWER_PACK\" 2400 2400"));
}

TEST(PriceUpgradeTest, NoChangeIsAnEmptyPrice) {
  absl::StatusOr<UpgradePrice> price = PriceUpgrade(
      TestCatalogue(), Request(Config("PLESK_WEB_PRO", 100, {"POWER_PACK"}), Config("PLESK_WEB_PRO", 100, {"POWER_PACK"})));
  ASSERT_TRUE(price.ok()) << price.status();
  EXPECT_THAT(price->lines, IsEmpty());
  EXPECT_EQ(price->total_minor, 0);
  EXPECT_EQ(price->currency, "EUR");
  EXPECT_EQ(price->price_time, kNow);
}

TEST(PriceUpgradeTest, ProratesEveryLineButTheFee) {
  // Half a term left: exactly half of each term amount.
  absl::StatusOr<UpgradePrice> price = PriceWithExpiry(TestCatalogue(), kNow + kTerm / 2, /*charge_fee=*/true);
  ASSERT_TRUE(price.ok()) << price.status();
  EXPECT_EQ(price->prorate_ppm, 500'000);
  EXPECT_THAT(Lines(*price), ElementsAre("capacity 100 \"Capacity 30 -> 100 domains\" 7200 3600",
                                         "feature POWER_PACK \"Add POWER_PACK\" 2400 1200",
                                         "fee fee \"Upgrade fee\" 1500 1500"));
  EXPECT_EQ(price->total_minor, 3600 + 1200 + 1500);

  // One day left: ppm 10^6 / 365 = 2739.73 -> 2740; 7200 * 0.00274 = 19.728 -> 20; 2400 * 0.00274 = 6.576 -> 7.
  price = PriceWithExpiry(TestCatalogue(), kNow + absl::Hours(24), /*charge_fee=*/true);
  ASSERT_TRUE(price.ok()) << price.status();
  EXPECT_EQ(price->prorate_ppm, 2740);
  EXPECT_THAT(Lines(*price), ElementsAre("capacity 100 \"Capacity 30 -> 100 domains\" 7200 20",
                                         "feature POWER_PACK \"Add POWER_PACK\" 2400 7",
                                         "fee fee \"Upgrade fee\" 1500 1500"));
  EXPECT_EQ(price->total_minor, 20 + 7 + 1500);
}

TEST(PriceUpgradeTest, ProrationIsClampedToOneTerm) {
  struct Case {
    absl::Time expire_time;
    int64_t ppm;
    int64_t total;  // 7200 + 2400 per whole term
  };
  for (const Case& c : {Case{kNow + kTerm, 1'000'000, 9600}, Case{kNow + 3 * kTerm, 1'000'000, 9600},
                        Case{kNow, 0, 0}, Case{kNow - absl::Hours(24), 0, 0}}) {
    SCOPED_TRACE(absl::FormatTime(c.expire_time));
    absl::StatusOr<UpgradePrice> price = PriceWithExpiry(TestCatalogue(), c.expire_time);
    ASSERT_TRUE(price.ok()) << price.status();
    EXPECT_EQ(price->prorate_ppm, c.ppm);
    EXPECT_EQ(price->total_minor, c.total);
    ASSERT_EQ(price->lines.size(), 2u);  // an expired license's lines stay, at 0
  }
}

TEST(PriceUpgradeTest, AmountsRoundHalfUp) {
  PriceCatalogue catalogue = TestCatalogue();
  catalogue.classes["PLESK_WEB_PRO"].capacity_steps[100] = 19200 + 2401;  // a term difference of 2401
  catalogue.classes["PLESK_WEB_PRO"].features["POWER_PACK"] = 2399;
  absl::StatusOr<UpgradePrice> price = PriceWithExpiry(catalogue, kNow + kTerm / 2);
  ASSERT_TRUE(price.ok()) << price.status();
  // 1200.5 -> 1201 (half-even would give 1200), 1199.5 -> 1200.
  EXPECT_THAT(Lines(*price), ElementsAre("capacity 100 \"Capacity 30 -> 100 domains\" 2401 1201",
                                         "feature POWER_PACK \"Add POWER_PACK\" 2399 1200"));
  EXPECT_EQ(price->total_minor, 2401);
}

TEST(PriceUpgradeTest, PartsPerMillionRoundHalfUp) {
  PriceCatalogue catalogue = TestCatalogue();
  catalogue.term = absl::Nanoseconds(2'000'000);  // one ppm is 2 ns
  struct Case {
    int64_t left_ns;
    int64_t ppm;
  };
  for (const Case& c : {Case{1, 1}, Case{2, 1}, Case{3, 2}, Case{1'999'999, 1'000'000}}) {
    absl::StatusOr<UpgradePrice> price = PriceWithExpiry(catalogue, kNow + absl::Nanoseconds(c.left_ns));
    ASSERT_TRUE(price.ok()) << price.status();
    EXPECT_EQ(price->prorate_ppm, c.ppm) << c.left_ns << " ns left";
  }
}

TEST(PriceUpgradeTest, CheaperLargerStepRoundsHalfUpTowardsPositive) {
  PriceCatalogue catalogue = TestCatalogue();
  catalogue.classes["PLESK_WEB_PRO"].capacity_steps[100] = 19200 - 3;  // the header allows it
  absl::StatusOr<UpgradePrice> price = PriceWithExpiry(catalogue, kNow + kTerm / 2);
  ASSERT_TRUE(price.ok()) << price.status();
  EXPECT_EQ(Lines(*price)[0], "capacity 100 \"Capacity 30 -> 100 domains\" -3 -1");  // -1.5 -> -1
}

TEST(PriceUpgradeTest, LargeAmountsDoNotOverflow) {
  PriceCatalogue catalogue = TestCatalogue();
  catalogue.classes["PLESK_WEB_PRO"].capacity_steps = {{30, 0}, {100, kMax}};
  catalogue.classes["PLESK_WEB_PRO"].features["POWER_PACK"] = kMax - 2;

  // Halves 4611686018427387903.5 -> ...904 and ...902.5 -> ...903: the total is exactly kMax.
  absl::StatusOr<UpgradePrice> price = PriceWithExpiry(catalogue, kNow + kTerm / 2);
  ASSERT_TRUE(price.ok()) << price.status();
  EXPECT_EQ(price->lines[0].amount_minor, 4611686018427387904);
  EXPECT_EQ(price->lines[1].amount_minor, 4611686018427387903);
  EXPECT_EQ(price->total_minor, kMax);

  // ppm 999999: kMax * 999999 needs 84 bits on the way.
  price = PriceWithExpiry(catalogue, kNow + kTerm - kTerm / 1'000'000);
  ASSERT_FALSE(price.ok());  // two near-maximum lines: the total does not fit
  EXPECT_EQ(price.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(ReasonOf(price.status()), "PRICE_OUT_OF_RANGE");

  catalogue.classes["PLESK_WEB_PRO"].features["POWER_PACK"] = 0;
  price = PriceWithExpiry(catalogue, kNow + kTerm - kTerm / 1'000'000);
  ASSERT_TRUE(price.ok()) << price.status();
  EXPECT_EQ(price->prorate_ppm, 999'999);
  EXPECT_EQ(price->lines[0].amount_minor, 9223362813482738952);
  EXPECT_EQ(price->total_minor, 9223362813482738952);
}

void ExpectNotConfigured(const absl::StatusOr<UpgradePrice>& price, absl::string_view license_class,
                         absl::string_view item) {
  ASSERT_FALSE(price.ok());
  EXPECT_EQ(price.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(price.status()), kReasonPriceNotConfigured);
  EXPECT_EQ(MetadataOf(price.status(), "license_class"), license_class);
  EXPECT_THAT(price.status().message(), HasSubstr(license_class));
  EXPECT_THAT(price.status().message(), HasSubstr(item));
}

TEST(PriceUpgradeTest, MissingPricesAreNotConfigured) {
  const PriceCatalogue catalogue = TestCatalogue();
  ExpectNotConfigured(
      PriceUpgrade(catalogue, Request(Config("PLESK_WEB_PRO", 30), Config("PLESK_WEB_PRO", 200))),
      "PLESK_WEB_PRO", "capacity 200");
  ExpectNotConfigured(
      PriceUpgrade(catalogue, Request(Config("PLESK_WEB_PRO", 30), Config("PLESK_WEB_PRO", 30, {"DEVELOPER_PACK"}))),
      "PLESK_WEB_PRO", "feature DEVELOPER_PACK");
  ExpectNotConfigured(PriceUpgrade(catalogue, Request(Config("CLOUDLINUX", 1), Config("CLOUDLINUX", 2))),
                      "CLOUDLINUX", "capacity 2");
  ExpectNotConfigured(
      PriceUpgrade(catalogue, Request(Config("CLOUDLINUX", 1), Config("CLOUDLINUX", 1, {"KERNELCARE"}))),
      "CLOUDLINUX", "feature KERNELCARE");
}

TEST(PriceUpgradeTest, UnpricedClassIsFineWhenNothingOfItIsCharged) {
  // KA lowered the capacity; only the fee is charged, and it is the catalogue's.
  absl::StatusOr<UpgradePrice> price = PriceUpgrade(
      TestCatalogue(), Request(Config("CLOUDLINUX", 8, {"CAGEFS"}), Config("CLOUDLINUX", 4), /*charge_fee=*/true));
  ASSERT_TRUE(price.ok()) << price.status();
  EXPECT_THAT(Lines(*price), ElementsAre("fee fee \"Upgrade fee\" 1500 1500"));
}

TEST(PriceUpgradeTest, ClassChangeUsesTheTargetClassPrices) {
  // POWER_PACK is not in PLESK_WEB_HOST's list, but billing has it: not priced.
  absl::StatusOr<UpgradePrice> price =
      PriceUpgrade(TestCatalogue(), Request(Config("PLESK_WEB_PRO", 100, {"POWER_PACK"}),
                                            Config("PLESK_WEB_HOST", 300, {"POWER_PACK", "UNLIMITED_DOMAINS"})));
  ASSERT_TRUE(price.ok()) << price.status();
  EXPECT_THAT(Lines(*price), ElementsAre("capacity 300 \"Capacity 100 -> 300 domains\" 8400 8400",
                                         "feature UNLIMITED_DOMAINS \"Add UNLIMITED_DOMAINS\" 6000 6000"));
}

TEST(PriceUpgradeTest, DescriptionWithoutUnit) {
  PricingRequest request = Request(Config("PLESK_WEB_PRO", 30), Config("PLESK_WEB_PRO", 100));
  request.capacity_unit.clear();
  absl::StatusOr<UpgradePrice> price = PriceUpgrade(TestCatalogue(), request);
  ASSERT_TRUE(price.ok()) << price.status();
  EXPECT_EQ(price->lines[0].description, "Capacity 30 -> 100");
}

}  // namespace
}  // namespace lss
