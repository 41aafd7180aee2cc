#include "server/auth/token_file.h"

#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"

namespace lss {
namespace {

const std::string kHashA(64, 'a');
const std::string kHashB(64, 'B');

TEST(TokenFileTest, ReadsEntriesSkippingCommentsAndBlankLines) {
  absl::StatusOr<std::vector<TokenEntry>> entries = ParseTokenFile(absl::StrCat(
      "# who may call\n\n", kHashA, " dashboard viewer\n", kHashB, "\tops-bot\toperator  # on-call\r\n"));
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].name, "dashboard");
  EXPECT_EQ((*entries)[0].role, Role::kViewer);
  EXPECT_EQ((*entries)[1].sha256_hex, std::string(64, 'b'));  // lower case
  EXPECT_EQ((*entries)[1].role, Role::kOperator);
}

TEST(TokenFileTest, EachMistakeNamesItsLine) {
  const struct {
    std::string text;
    std::string line;
  } cases[] = {
      {absl::StrCat(kHashA, " dashboard"), "line 1:"},
      {absl::StrCat("# x\n", std::string(63, 'a'), " dashboard viewer"), "line 2:"},
      {absl::StrCat(std::string(64, 'g'), " dashboard viewer"), "line 1:"},
      {absl::StrCat(kHashA, " dashboard root"), "line 1:"},
      {absl::StrCat(kHashA, " a viewer\n", kHashA, " b viewer"), "line 2:"},
      {absl::StrCat(kHashA, " a viewer\n", kHashB, " a admin"), "line 2:"},
      {absl::StrCat(kHashA, " ", std::string(65, 'n'), " viewer"), "line 1:"},
  };
  for (const auto& c : cases) {
    absl::StatusOr<std::vector<TokenEntry>> entries = ParseTokenFile(c.text);
    ASSERT_FALSE(entries.ok()) << c.text;
    EXPECT_EQ(entries.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(ReasonOf(entries.status()), "TOKEN_FILE_INVALID");
    EXPECT_NE(entries.status().message().find(c.line), absl::string_view::npos) << entries.status();
  }
}

TEST(TokenFileTest, AFileWithoutTokensIsAMistake) {
  EXPECT_FALSE(ParseTokenFile("# nobody\n").ok());
}

TEST(TokenFileTest, AnUnreadableFileIsNamed) {
  absl::StatusOr<std::vector<TokenEntry>> entries = LoadTokenFile("/nonexistent/tokens");
  ASSERT_FALSE(entries.ok());
  EXPECT_NE(entries.status().message().find("/nonexistent/tokens"), absl::string_view::npos);
}

}  // namespace
}  // namespace lss
