#include "server/auth/authenticator.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"
#include "server/auth/method_roles.h"

namespace lss {
namespace {

constexpr absl::string_view kBearer = "bearer ";

absl::Status Unauthenticated(absl::string_view reason, absl::string_view why) {
  return WithReason(absl::UnauthenticatedError(why), reason);
}

}  // namespace

Authenticator::Authenticator(const std::vector<TokenEntry>& tokens) : enabled_(true) {
  for (const TokenEntry& entry : tokens) by_hash_[entry.sha256_hex] = entry;
}

absl::StatusOr<CallerIdentity> Authenticator::Identify(absl::optional<absl::string_view> authorization) const {
  CallerIdentity caller;
  if (!enabled_) {
    caller.name = std::string(kAnonymousCaller);
    caller.role = Role::kAdmin;
    return caller;
  }
  if (!authorization.has_value() || authorization->empty()) {
    return Unauthenticated(kReasonTokenMissing,
                           "this server needs a bearer token: send the metadata \"authorization: Bearer <token>\"");
  }
  const absl::string_view value = absl::StripAsciiWhitespace(*authorization);
  if (value.size() <= kBearer.size() || !absl::StartsWithIgnoreCase(value, kBearer)) {
    return Unauthenticated(kReasonTokenInvalid, "the authorization metadata must be \"Bearer <token>\"");
  }
  const auto found = by_hash_.find(Sha256Hex(absl::StripAsciiWhitespace(value.substr(kBearer.size()))));
  if (found == by_hash_.end()) return Unauthenticated(kReasonTokenInvalid, "the bearer token is not valid");
  caller.name = found->second.name;
  caller.role = found->second.role;
  return caller;
}

absl::Status Authorize(const CallerIdentity& caller, absl::string_view method) {
  const Role needed = RequiredRole(method);
  if (caller.MayActAs(needed)) return absl::OkStatus();
  absl::Status denied = WithReason(
      absl::PermissionDeniedError(absl::StrCat(caller.name, " (", RoleName(caller.role), ") may not call ", method,
                                               ": it needs the ", RoleName(needed), " role")),
      kReasonRoleTooLow);
  return WithMetadata(denied, kRequiredRoleMetadata, RoleName(needed));
}

}  // namespace lss
