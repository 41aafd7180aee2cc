// Builds the domain's CallerIdentity from a gRPC call.
//
// Handlers call CallerFromContext() first and hand the identity to the domain,
// which authorises and audits with it and never sees the ServerContext.
// Identity comes from the call's auth context: the authenticator stores the
// token's name and role there as the properties kCallerNameProperty and
// kCallerRoleProperty. A call without them was not authenticated, which the
// server only allows when it runs without a token file on loopback; such a
// caller is kAnonymousCaller with every role.
//
// Thread-safe: reads only the given context.
#pragma once

#include <grpcpp/server_context.h>

#include "absl/strings/string_view.h"
#include "common/caller_identity.h"

namespace lss {

inline constexpr absl::string_view kCallerNameProperty = "lss.caller_name";
inline constexpr absl::string_view kCallerRoleProperty = "lss.caller_role";
// Metadata key a caller may set to correlate its logs with ours.
inline constexpr absl::string_view kRequestIdMetadata = "x-request-id";
// Longest request id accepted from a caller; longer ones are replaced.
inline constexpr size_t kMaxRequestIdLength = 128;

CallerIdentity CallerFromContext(const grpc::ServerContextBase& context);

// Parses "viewer", "operator" or "admin"; anything else is Role::kNone.
Role ParseRole(absl::string_view name);

}  // namespace lss
