// SHA-256 in lowercase hex: how tokens are listed (server/auth/token_file.h)
// and how caller-scoped idempotency keys are made (server/licenses/request_id.h).
// Pure; thread-safe.
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace lss {

std::string Sha256Hex(absl::string_view text);

}  // namespace lss
