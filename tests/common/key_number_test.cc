#include "common/key_number.h"

#include <gtest/gtest.h>

#include "common/status/error_details.h"

namespace lss {
namespace {

TEST(KeyNumberTest, FullKeyNumber) {
  absl::StatusOr<KeyNumber> key = ParseKeyNumber("PLSK.00012345.0001");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->prefix, "PLSK");
  EXPECT_EQ(key->number, "00012345");
  EXPECT_EQ(key->revision, 1);
  EXPECT_EQ(key->Base(), "PLSK.00012345");
  EXPECT_EQ(key->ToString(), "PLSK.00012345.0001");
}

TEST(KeyNumberTest, WithoutRevision) {
  absl::StatusOr<KeyNumber> key = ParseKeyNumber("KAV.00005821");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_FALSE(key->revision.has_value());
  EXPECT_EQ(key->ToString(), "KAV.00005821");
}

TEST(KeyNumberTest, MalformedNumbersNameTheField) {
  for (const char* bad : {"", "PLSK", "plsk.00012345", "PLSK.1234", "PLSK.00012345.1",
                          "PLSK.00012345.0001.0002", "P.00012345", "TOOLONGPF.00012345",
                          "PLSK.0001234X", "PLSK..0001", "PLSK.00012345.00a1"}) {
    absl::StatusOr<KeyNumber> key = ParseKeyNumber(bad, "request.key_number");
    ASSERT_FALSE(key.ok()) << bad;
    EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(ReasonOf(key.status()), "MALFORMED_KEY_NUMBER") << bad;
    ASSERT_EQ(FieldViolationsOf(key.status()).size(), 1u) << bad;
    EXPECT_EQ(FieldViolationsOf(key.status())[0].field, "request.key_number");
  }
}

}  // namespace
}  // namespace lss
