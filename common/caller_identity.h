// Who is making a call, as the domain sees it.
//
// The gRPC edge (server/rpc/caller_context.h) builds one per call from the
// authenticated peer and the call metadata, and passes it down by const
// reference so that domain code can authorise and audit without knowing
// gRPC. A plain value type: copy it freely between threads.
#pragma once

#include <string>
#include "absl/strings/string_view.h"

namespace lss {

// Roles are cumulative: each may do everything the ones before it may do.
enum class Role {
  kNone = 0,      // authenticated as nobody: may call nothing but health
  kViewer = 1,    // read and watch
  kOperator = 2,  // also sync, upgrade, create, import, terminate
  kAdmin = 3,     // also read the audit log
};

// "viewer", "operator", "admin" or "none".
absl::string_view RoleName(Role role);

// The inverse for "viewer", "operator" and "admin"; anything else is
// Role::kNone.
Role ParseRole(absl::string_view name);

struct CallerIdentity {
  // Who: the bearer token's configured name, or kAnonymousCaller when the
  // server runs without authentication.
  std::string name;
  // What they may do.
  Role role = Role::kNone;
  // Correlates logs and audit entries of one call: the caller's
  // `x-request-id` metadata when sent, otherwise one generated per call.
  std::string request_id;
  // Transport address of the peer, e.g. "ipv4:127.0.0.1:51234".
  std::string peer;

  bool MayActAs(Role needed) const { return role >= needed; }
};

// The caller name used when authentication is off (loopback-only servers).
inline constexpr absl::string_view kAnonymousCaller = "anonymous";

// "ipv4:127.0.0.1" for "ipv4:127.0.0.1:51234", "ipv6:[::1]" for
// "ipv6:[::1]:51234": the host a peer calls from, whatever connection.
std::string PeerHost(absl::string_view peer);

// Who a caller is for the limits kept per caller (refusals counted, streams
// watched): its token's name, or, without one (no authentication, or no
// valid token), the host it calls from.
std::string CallerKey(const CallerIdentity& caller);

// The identity of work the server starts by itself (the daily run, job
// resumption after a restart), so that audit entries still say who.
CallerIdentity SystemCaller(absl::string_view what);

}  // namespace lss
