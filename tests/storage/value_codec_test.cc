#include "storage/sql/value_codec.h"

#include <random>
#include <string>
#include <vector>

#include "common/status/error_details.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/license_repository.h"

namespace lss::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(ValueCodecTest, EmptyListAndListOfOneEmptyStringDiffer) {
  EXPECT_EQ(EncodeFeatures({}), "");
  EXPECT_EQ(EncodeFeatures({""}), "\n");
  EXPECT_THAT(DecodeFeatures("").value(), IsEmpty());
  EXPECT_THAT(DecodeFeatures("\n").value(), ElementsAre(""));
}

TEST(ValueCodecTest, EscapesSeparatorsBackslashAndNul) {
  const std::vector<std::string> features = {"a\tb", "c\nd", "e\\f", std::string("g\0h", 3), "\\t"};
  const std::string encoded = EncodeFeatures(features);
  EXPECT_EQ(encoded, "a\\tb\nc\\nd\ne\\\\f\ng\\0h\n\\\\t\n");
  EXPECT_EQ(encoded.find('\0'), std::string::npos);
  EXPECT_EQ(DecodeFeatures(encoded).value(), features);
}

TEST(ValueCodecTest, RoundTripsRandomStringsOfEveryByte) {
  std::mt19937 random(20240601);  // fixed seed: a failure reproduces
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 12);
  for (int round = 0; round < 200; ++round) {
    std::vector<Mismatch> mismatches;
    std::vector<AdditionalKey> keys;
    for (int i = 0; i < length(random); ++i) {
      std::string a, b;
      for (int j = length(random); j > 0; --j) a += static_cast<char>(byte(random));
      for (int j = length(random); j > 0; --j) b += static_cast<char>(byte(random));
      mismatches.push_back({static_cast<MismatchKind>(1 + i % 11), a, b});
      keys.push_back({b, a});
    }
    EXPECT_EQ(DecodeMismatches(EncodeMismatches(mismatches)).value(), mismatches);
    EXPECT_EQ(DecodeAdditionalKeys(EncodeAdditionalKeys(keys)).value(), keys);
  }
}

TEST(ValueCodecTest, MismatchesKeepKindsThisBinaryDoesNotName) {
  const std::vector<Mismatch> mismatches = {{static_cast<MismatchKind>(42), "x", "y"}};
  EXPECT_EQ(EncodeMismatches(mismatches), "42\tx\ty\n");
  EXPECT_EQ(DecodeMismatches("42\tx\ty\n").value(), mismatches);
}

TEST(ValueCodecTest, RejectsTextItDidNotWrite) {
  for (const char* corrupt : {"no terminator", "dangling\\", "bad\\q\n"}) {
    absl::StatusOr<std::vector<std::string>> decoded = DecodeFeatures(corrupt);
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss) << corrupt;
    EXPECT_EQ(ReasonOf(decoded.status()), kReasonDatabaseError);
  }
  EXPECT_FALSE(DecodeFeatures("a\tb\n").ok());            // two fields, one expected
  EXPECT_FALSE(DecodeAdditionalKeys("only-one\n").ok());  // one field, two expected
  EXPECT_FALSE(DecodeMismatches("x\ta\tb\n").ok());       // kind not a number
  EXPECT_FALSE(DecodeMismatches("0\ta\tb\n").ok());       // kind not positive
}

TEST(ValueCodecTest, CapacityStepsAreDecimalNumbers) {
  const std::vector<int64_t> steps = {0, 30, 100, -1, int64_t{9'000'000'000'000'000'000}};
  EXPECT_EQ(EncodeCapacitySteps({30, 100}), "30\n100\n");
  EXPECT_EQ(DecodeCapacitySteps(EncodeCapacitySteps(steps)).value(), steps);
  EXPECT_THAT(DecodeCapacitySteps("").value(), IsEmpty());
  for (const char* corrupt : {"x\n", "\n", "1\t2\n", "99999999999999999999\n"}) {
    absl::StatusOr<std::vector<int64_t>> decoded = DecodeCapacitySteps(corrupt);
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss) << corrupt;
    EXPECT_EQ(ReasonOf(decoded.status()), kReasonDatabaseError);
  }
}

TEST(ValueCodecTest, FeatureOffersRoundTripEscapedNames) {
  const std::vector<FeatureOffer> offers = {
      {"POWER_PACK", "Power Pack\tfor\nPlesk"}, {"", ""}, {"back\\slash", std::string("nul\0", 4)}};
  EXPECT_EQ(EncodeFeatureOffers({{"A", "Display A"}}), "A\tDisplay A\n");
  EXPECT_EQ(DecodeFeatureOffers(EncodeFeatureOffers(offers)).value(), offers);
  EXPECT_FALSE(DecodeFeatureOffers("only-one\n").ok());
}

TEST(ValueCodecTest, PriceLinesRoundTripAndKeepUnknownKinds) {
  const std::vector<PriceLine> lines = {
      {PriceLineKind::kCapacity, "300", "Capacity 100 -> 300\tdomains", 24000, 12345},
      {PriceLineKind::kFeature, "POWER_PACK", "Power\nPack", 2400, -7},
      {PriceLineKind::kUpgradeFee, "fee", "", 0, 1500},
      {static_cast<PriceLineKind>(42), "", "", 0, 0}};
  EXPECT_EQ(EncodePriceLines({{PriceLineKind::kUpgradeFee, "fee", "Upgrade fee", 0, 1500}}),
            "3\tfee\tUpgrade fee\t0\t1500\n");
  EXPECT_EQ(DecodePriceLines(EncodePriceLines(lines)).value(), lines);
  EXPECT_FALSE(DecodePriceLines("1\ta\tb\t2\n").ok());     // four fields, five expected
  EXPECT_FALSE(DecodePriceLines("0\ta\tb\t2\t3\n").ok());  // kind not positive
  EXPECT_FALSE(DecodePriceLines("1\ta\tb\tx\t3\n").ok());  // term amount not a number
  EXPECT_FALSE(DecodePriceLines("1\ta\tb\t2\t\n").ok());   // amount empty
}

}  // namespace
}  // namespace lss::storage
