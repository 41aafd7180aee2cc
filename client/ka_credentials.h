// The partner login and password this service presents to the Key
// Administrator, and where they come from.
//
// Sources, first match wins:
//   1. a credentials file (the server's flag): line 1 the login, line 2 the
//      password; trailing whitespace and line ends are trimmed;
//   2. the environment: KA_LOGIN with KA_PASSWORD, or KA_LOGIN with
//      KA_PASSWORD_FILE (a file whose first line is the password).
// Nothing configured is an error: a silent demo default would let a
// production server start with the wrong account. Errors name the file or
// variable at fault, never a secret.
//
// Thread-safe: the functions read no shared state beyond the environment.
#pragma once

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"

namespace lss {

struct KaCredentials {
  std::string login;
  std::string password;  // secret: never log it or put it in a message
};

// Reads the credentials from `credentials_file` when it is not empty, else
// from the process environment.
absl::StatusOr<KaCredentials> LoadKaCredentials(absl::string_view credentials_file);

// As LoadKaCredentials, reading variables through `getenv` (nullopt: unset),
// so that tests need not touch the process environment.
using EnvLookup = absl::FunctionRef<absl::optional<std::string>(absl::string_view name)>;
absl::StatusOr<KaCredentials> LoadKaCredentials(absl::string_view credentials_file,
                                                EnvLookup getenv);

}  // namespace lss
