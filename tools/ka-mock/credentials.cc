#include "ka-mock/credentials.h"

#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "ka-mock/ka_errors.h"

namespace ka_mock {
namespace {

constexpr char kDemoPassword[] = "billing-secret";
constexpr char kPasswordVariable[] = "KA_MOCK_PASSWORD";

bool Matches(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata,
             absl::string_view key, absl::string_view expected) {
  const auto entry = metadata.find(grpc::string_ref(key.data(), key.size()));
  return entry != metadata.end() &&
         absl::string_view(entry->second.data(), entry->second.size()) ==
             expected;
}

}  // namespace

absl::Status CheckCredentials(
    const PartnerCredentials& expected,
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
  if (Matches(metadata, "ka-login", expected.login) &&
      Matches(metadata, "ka-password", expected.password)) {
    return absl::OkStatus();
  }
  // Same answer for a wrong login and a wrong password, as KA gives.
  return KaError(KaCode::kAuthenticationFailed,
                 "authentication failed: wrong KA login or password");
}

absl::StatusOr<std::string> LoadPassword(absl::string_view password_file) {
  if (!password_file.empty()) {
    std::ifstream file{std::string(password_file)};
    std::string password;
    if (!file || !std::getline(file, password)) {
      return absl::NotFoundError(
          absl::StrCat("cannot read the password file ", password_file));
    }
    // A file written on Windows ends its line with \r.
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (password.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the password file ", password_file, " starts with an empty line"));
    }
    return password;
  }
  if (const char* password = std::getenv(kPasswordVariable);
      password != nullptr && *password) {
    return std::string(password);
  }
  return std::string(kDemoPassword);
}

}  // namespace ka_mock
