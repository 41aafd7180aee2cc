#include "common/tls_files.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/file_permissions.h"

namespace lss {

namespace {

absl::StatusOr<std::string> ReadPem(absl::string_view setting, const std::string& path, FileTrust trust) {
  if (absl::Status trusted = CheckFilePermissions(setting, path, trust); !trusted.ok()) return trusted;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read ", setting, " ", path, ": ", std::strerror(errno)));
  }
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return absl::FailedPreconditionError(absl::StrCat("cannot read ", setting, " ", path));
  }
  std::string contents = text.str();
  if (!absl::StrContains(contents, "-----BEGIN ")) {
    return absl::FailedPreconditionError(
        absl::StrCat(setting, " ", path, " holds no PEM block (-----BEGIN ...)"));
  }
  return contents;
}

}  // namespace

absl::StatusOr<std::string> ReadPemFile(absl::string_view setting, const std::string& path) {
  return ReadPem(setting, path, FileTrust::kConfiguration);
}

absl::StatusOr<std::string> ReadPemKeyFile(absl::string_view setting, const std::string& path) {
  return ReadPem(setting, path, FileTrust::kSecret);
}

absl::Status CheckCertificatePair(absl::string_view cert_setting, const std::string& cert_path,
                                  absl::string_view key_setting, const std::string& key_path) {
  if (cert_path.empty() == key_path.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(cert_setting, " and ", key_setting,
                                                 " go together: ", cert_path.empty() ? cert_setting : key_setting,
                                                 " is missing"));
}

}  // namespace lss
