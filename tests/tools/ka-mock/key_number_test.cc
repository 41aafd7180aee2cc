#include "ka-mock/key_number.h"

#include <string>

#include "gtest/gtest.h"
#include "ka-mock/ka_errors.h"

namespace ka_mock {
namespace {

TEST(ParseKeyNumberTest, ReadsPrefixNumberAndRevision) {
  const absl::StatusOr<ParsedKeyNumber> parsed =
      ParseKeyNumber("PLSK.00012345.0007");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->prefix, "PLSK");
  EXPECT_EQ(parsed->number, 12345u);
  EXPECT_EQ(parsed->revision, 7);
}

TEST(ParseKeyNumberTest, RevisionIsOptional) {
  const absl::StatusOr<ParsedKeyNumber> parsed = ParseKeyNumber("VZ.99999999");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->prefix, "VZ");
  EXPECT_EQ(parsed->number, 99999999u);
  EXPECT_FALSE(parsed->revision.has_value());
}

TEST(ParseKeyNumberTest, AcceptsPrefixesOfTwoToEightLetters) {
  EXPECT_TRUE(ParseKeyNumber("AB.00000001.0000").ok());
  EXPECT_TRUE(ParseKeyNumber("ABCDEFGH.00000001.0000").ok());
}

class MalformedKeyNumberTest : public ::testing::TestWithParam<std::string> {};

TEST_P(MalformedKeyNumberTest, IsCode410) {
  const absl::StatusOr<ParsedKeyNumber> parsed = ParseKeyNumber(GetParam());
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(KaCodeOf(parsed.status()), KaCode::kMalformedKeyNumber);
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, MalformedKeyNumberTest,
    ::testing::Values(
        "", "PLSK", "PLSK.", "PLSK.0001234", "PLSK.000123456", "PLSK.00012345.",
        "PLSK.00012345.001", "PLSK.00012345.00001", "PLSK.00012345.0001.0001",
        "P.00012345.0001", "ABCDEFGHI.00012345.0001", "plsk.00012345.0001",
        "PL5K.00012345.0001", "PLSK.0001234x.0001", "PLSK.00012345.000x",
        "PLSK.+0012345.0001", ".00012345.0001", "PLSK 00012345 0001"));

TEST(ParseKeyNumberTest, ErrorEchoesOnlyTheStartOfAHugeInput) {
  const std::string huge(100000, 'A');
  const absl::StatusOr<ParsedKeyNumber> parsed = ParseKeyNumber(huge);
  ASSERT_FALSE(parsed.ok());
  EXPECT_LT(parsed.status().message().size(), 200u);
}

TEST(FormatKeyNumberTest, PadsNumberAndRevision) {
  EXPECT_EQ(FormatKeyNumber("PLSK", 12345, 1), "PLSK.00012345.0001");
  EXPECT_EQ(FormatKeyNumber("KAV", 99999999, 9999), "KAV.99999999.9999");
}

TEST(FormatKeyNumberTest, ParsesBack) {
  const absl::StatusOr<ParsedKeyNumber> parsed =
      ParseKeyNumber(FormatKeyNumber("CLN", 42, 3));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->prefix, "CLN");
  EXPECT_EQ(parsed->number, 42u);
  EXPECT_EQ(parsed->revision, 3);
}

}  // namespace
}  // namespace ka_mock
