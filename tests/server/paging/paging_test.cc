#include "server/paging/paging.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "common/status/error_details.h"

namespace lss {
namespace {

TEST(PageSizeTest, DefaultsCapsAndRefusesNegative) {
  EXPECT_EQ(*NormalizePageSize(0), kDefaultPageSize);
  EXPECT_EQ(*NormalizePageSize(7), 7);
  EXPECT_EQ(*NormalizePageSize(kMaxPageSize + 1), kMaxPageSize);
  absl::StatusOr<int> negative = NormalizePageSize(-1);
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(negative.status()).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(negative.status())[0].field, "page_size");
}

TEST(PageTokenTest, RoundTripsWithTheSameFilter) {
  std::string token = EncodePageToken(12345, "class=PLESK");
  EXPECT_EQ(*DecodePageToken(token, "class=PLESK"), 12345);
  EXPECT_EQ(*DecodePageToken("", "anything"), 0);
}

TEST(PageTokenTest, OtherFilterIsRefused) {
  absl::StatusOr<int64_t> cursor = DecodePageToken(EncodePageToken(5, "class=A"), "class=B");
  ASSERT_FALSE(cursor.ok());
  EXPECT_EQ(cursor.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReasonOf(cursor.status()), "INVALID_PAGE_TOKEN");
  EXPECT_EQ(FieldViolationsOf(cursor.status())[0].field, "page_token");
}

TEST(PageTokenTest, GarbageIsRefused) {
  for (const char* bad : {"!!!", "bm90IGEgdG9rZW4", "cDE6LTE6MA"}) {
    absl::StatusOr<int64_t> cursor = DecodePageToken(bad, "");
    ASSERT_FALSE(cursor.ok()) << bad;
    EXPECT_EQ(ReasonOf(cursor.status()), "INVALID_PAGE_TOKEN") << bad;
  }
}

TEST(PageTokenTest, ATokenLongerThanAnyIssuedIsRefusedUndecoded) {
  const std::string issued = EncodePageToken(std::numeric_limits<int64_t>::max(), "a filter");
  EXPECT_LE(issued.size(), kMaxPageTokenLength);
  absl::StatusOr<int64_t> cursor = DecodePageToken(std::string(kMaxPageTokenLength + 1, 'A'), "");
  ASSERT_FALSE(cursor.ok());
  EXPECT_EQ(ReasonOf(cursor.status()), "INVALID_PAGE_TOKEN");
  EXPECT_EQ(FieldViolationsOf(cursor.status())[0].field, "page_token");
}

}  // namespace
}  // namespace lss
