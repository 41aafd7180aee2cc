// Builds the domain's CallerIdentity from a gRPC call.
//
// Every handler admits its call first (AdmitCaller) and hands the identity
// to the domain, which audits with it and never sees the ServerContext. The
// token travels in the "authorization" metadata ("Bearer <token>") and the
// Authenticator (server/auth/authenticator.h) decides who it is and whether
// that role may call the method; the request id comes from the caller's
// "x-request-id" metadata when it is acceptable, else one is made per call
// (server/rpc/call_request_id.h; the server's interceptor has put the one
// made in the metadata already, so that the call log and audit agree).
//
// Thread-safe: reads only the given context.
#pragma once

#include <grpcpp/server_context.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/caller_identity.h"
#include "server/auth/authenticator.h"
#include "server/rpc/call_request_id.h"

namespace lss {

inline constexpr absl::string_view kAuthorizationMetadata = "authorization";

// The caller of `method` (e.g. "SyncLicense"), or UNAUTHENTICATED /
// PERMISSION_DENIED. The identity of a refused call is still filled (name
// empty when unknown) through `refused`, for the audit log.
absl::StatusOr<CallerIdentity> AdmitCaller(const grpc::ServerContextBase& context, const Authenticator& auth,
                                           absl::string_view method, CallerIdentity* refused = nullptr);

}  // namespace lss
