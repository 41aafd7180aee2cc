// The bearer tokens a server accepts (--auth_tokens_file): never the tokens
// themselves, only their SHA-256, each with the caller's name and role.
//
//   # sha256 of the token (hex)                                      name        role
//   9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 dashboard   viewer
//
// One entry per line, `#` starts a comment; make a hash with
// `printf %s "$TOKEN" | sha256sum`. A malformed line, an unknown role, or a
// hash or name listed twice is an error naming the line. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/caller_identity.h"

namespace lss {

struct TokenEntry {
  std::string sha256_hex;  // lower case
  std::string name;
  Role role = Role::kNone;
};

// INVALID_ARGUMENT "line N: ..." (reason TOKEN_FILE_INVALID).
absl::StatusOr<std::vector<TokenEntry>> ParseTokenFile(absl::string_view text);

// Reads and parses the file; the error names the path, never its contents.
absl::StatusOr<std::vector<TokenEntry>> LoadTokenFile(const std::string& path);

}  // namespace lss
