#pragma once

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/string_ref.h"

namespace ka_mock {

// The partner login and password that KA expects in every call's metadata,
// under `ka-login` and `ka-password`.
struct PartnerCredentials {
  std::string login;
  std::string password;
};

// OK when `metadata` carries exactly the expected pair; KA code 200
// (UNAUTHENTICATED) when either is wrong or missing.
absl::Status CheckCredentials(
    const PartnerCredentials& expected,
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata);

// The password to expect, never from the command line (it would show in
// `ps`): the first line of `password_file` when one is given, else the
// environment variable KA_MOCK_PASSWORD, else "billing-secret" for demos.
absl::StatusOr<std::string> LoadPassword(absl::string_view password_file);

}  // namespace ka_mock
