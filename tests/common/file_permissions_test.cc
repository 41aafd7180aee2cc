#include "common/file_permissions.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "common/status/error_details.h"

namespace lss {
namespace {

std::string FileWithMode(const std::string& name, mode_t mode) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string path = std::string(tmp != nullptr ? tmp : "/tmp") + "/lss-perm-" + name;
  std::ofstream(path) << "x";
  chmod(path.c_str(), mode);
  return path;
}

TEST(FilePermissionsTest, FilesOthersMayWriteAreRefused) {
  for (mode_t mode : {0666, 0620, 0602}) {
    const std::string path = FileWithMode("writable", mode);
    for (FileTrust trust : {FileTrust::kConfiguration, FileTrust::kSecret}) {
      const absl::Status refused = CheckFilePermissions("--auth_tokens_file", path, trust);
      EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << std::oct << mode;
      EXPECT_EQ(ReasonOf(refused), "INSECURE_FILE_PERMISSIONS");
      EXPECT_NE(refused.message().find("--auth_tokens_file " + path), absl::string_view::npos) << refused;
      EXPECT_NE(refused.message().find("chmod go-w"), absl::string_view::npos) << refused;
    }
  }
}

TEST(FilePermissionsTest, SecretsEveryoneMayReadAreRefusedConfigurationIsNot) {
  const std::string path = FileWithMode("readable", 0644);
  EXPECT_TRUE(CheckFilePermissions("--auth_tokens_file", path, FileTrust::kConfiguration).ok());
  const absl::Status refused = CheckFilePermissions("--tls_key_file", path, FileTrust::kSecret);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("mode 0644"), absl::string_view::npos) << refused;
  EXPECT_NE(refused.message().find("chmod o-r"), absl::string_view::npos) << refused;
}

TEST(FilePermissionsTest, OwnerOnlyAndGroupReadableFilesAreTrusted) {
  for (mode_t mode : {0600, 0400, 0640}) {
    const std::string path = FileWithMode("private", mode);
    EXPECT_TRUE(CheckFilePermissions("--tls_key_file", path, FileTrust::kSecret).ok()) << std::oct << mode;
  }
  // A missing file is the reader's to report.
  EXPECT_TRUE(CheckFilePermissions("--tls_key_file", "/no/such/file", FileTrust::kSecret).ok());
}

}  // namespace
}  // namespace lss
