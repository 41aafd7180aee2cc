// Who is calling, from the bearer token of the call (DESIGN.md §4
// "Security"), and whether they may call a method.
//
// Without tokens (no --auth_tokens_file) every caller is kAnonymousCaller
// with every role: the server then listens on loopback only (see
// server/app/listen_policy.h). With tokens, a call without
// "authorization: Bearer <token>" or with a token not listed is
// UNAUTHENTICATED; a listed caller whose role is below the method's is
// PERMISSION_DENIED, decided before the method looks at its request, so
// that nobody learns whether a license exists without the right to read it.
// Tokens are compared by their SHA-256; neither tokens nor hashes appear in
// errors or logs. Thread-safe (immutable).
#pragma once

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "common/caller_identity.h"
#include "common/text/sha256.h"  // Sha256Hex, which token files list
#include "server/auth/token_file.h"

namespace lss {

inline constexpr absl::string_view kReasonTokenMissing = "TOKEN_MISSING";
inline constexpr absl::string_view kReasonTokenInvalid = "TOKEN_INVALID";
inline constexpr absl::string_view kReasonRoleTooLow = "ROLE_TOO_LOW";
// PERMISSION_DENIED's ErrorInfo metadata: the role the method needs.
inline constexpr absl::string_view kRequiredRoleMetadata = "required_role";

class Authenticator {
 public:
  // No tokens: authentication off.
  Authenticator() = default;
  explicit Authenticator(const std::vector<TokenEntry>& tokens);

  bool enabled() const { return enabled_; }

  // The caller's name and role from the value of the call's "authorization"
  // metadata (unset when the call sent none).
  absl::StatusOr<CallerIdentity> Identify(absl::optional<absl::string_view> authorization) const;

 private:
  bool enabled_ = false;
  absl::flat_hash_map<std::string, TokenEntry> by_hash_;
};

// PERMISSION_DENIED (ROLE_TOO_LOW) unless `caller`'s role may call `method`.
absl::Status Authorize(const CallerIdentity& caller, absl::string_view method);

}  // namespace lss
