#include "common/file_permissions.h"

#include <sys/stat.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status/error_details.h"

namespace lss {
namespace {

absl::Status Refused(absl::string_view setting, const std::string& path, mode_t mode, absl::string_view who,
                     absl::string_view fix) {
  return WithReason(absl::FailedPreconditionError(absl::StrFormat(
                        "%s %s has mode %04o: it is %s; run `chmod %s %s`", setting, path, mode & 07777, who, fix,
                        path)),
                    "INSECURE_FILE_PERMISSIONS");
}

}  // namespace

absl::Status CheckFilePermissions(absl::string_view setting, const std::string& path, FileTrust trust) {
  struct stat info {};
  if (path.empty() || stat(path.c_str(), &info) != 0) return absl::OkStatus();
  const mode_t mode = info.st_mode;
  if ((mode & (S_IWGRP | S_IWOTH)) != 0) {
    return Refused(setting, path, mode, "writable by other users, who could change it", "go-w");
  }
  if (trust == FileTrust::kSecret && (mode & S_IROTH) != 0) {
    return Refused(setting, path, mode, "readable by every user, so it is no secret", "o-r");
  }
  return absl::OkStatus();
}

}  // namespace lss
