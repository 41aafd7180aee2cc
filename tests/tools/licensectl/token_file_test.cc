// --token-file: the token read from a file, and each way a file is refused
// (the message names the file; it never shows the contents).
#include "licensectl/token_file.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scratch_files.h"

namespace licensectl {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(TokenFileTest, ReadsTheTokenWithoutTheFinalNewlineAndBlanks) {
  testing::ScratchFiles files;
  EXPECT_EQ(ReadTokenFile(files.Write("token", "s3cret-token\n")).value_or("?"), "s3cret-token");
  EXPECT_EQ(ReadTokenFile(files.Write("crlf", "  s3cret\r\n\n")).value_or("?"), "s3cret");
  EXPECT_EQ(ReadTokenFile(files.Write("read-only", "s3cret", 0400)).value_or("?"), "s3cret");
}

TEST(TokenFileTest, AMissingOrUnreadableFileIsNamed) {
  testing::ScratchFiles files;
  absl::StatusOr<std::string> token = ReadTokenFile(files.Path("absent"));
  EXPECT_EQ(token.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(token.status().message(),
              AllOf(HasSubstr("cannot read token file"), HasSubstr(files.Path("absent")), HasSubstr("No such file")));

  const std::string directory = files.Path("");
  EXPECT_THAT(ReadTokenFile(directory).status().message(), HasSubstr("Is a directory"));
}

TEST(TokenFileTest, AnEmptyFileIsRefused) {
  testing::ScratchFiles files;
  for (const char* contents : {"", "\n", "  \t\n"}) {
    const std::string path = files.Write("empty", contents);
    EXPECT_THAT(ReadTokenFile(path).status().message(), HasSubstr(path + " is empty")) << contents;
  }
}

TEST(TokenFileTest, AFileThatOthersMayReadOrWriteIsRefusedWithItsMode) {
  testing::ScratchFiles files;
  for (mode_t mode : {0640, 0604, 0620, 0602, 0644, 0666}) {
    const std::string path = files.Write("shared", "s3cret-token\n", mode);
    absl::StatusOr<std::string> token = ReadTokenFile(path);
    ASSERT_FALSE(token.ok()) << absl::StrFormat("%04o", mode);
    EXPECT_EQ(token.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(token.status().message(),
                AllOf(HasSubstr(path), HasSubstr(absl::StrFormat("(mode %04o)", mode)),
                      HasSubstr(absl::StrCat("chmod 600 ", path)), Not(HasSubstr("s3cret"))));
  }
}

TEST(TokenFileTest, ExecutePermissionsLeakNothing) {
  testing::ScratchFiles files;
  EXPECT_TRUE(ReadTokenFile(files.Write("token", "s3cret", 0711)).ok());
}

TEST(TokenFileTest, AFileLargerThanAnyTokenIsRefused) {
  testing::ScratchFiles files;
  const std::string path = files.Write("huge", std::string(100 * 1024, 'a'));
  EXPECT_THAT(ReadTokenFile(path).status().message(), AllOf(HasSubstr(path), HasSubstr("not a token")));
}

}  // namespace
}  // namespace licensectl
