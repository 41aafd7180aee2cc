// Secure by default (DESIGN.md §4 "Security"): a server reachable from
// other machines must encrypt (TLS) and authenticate (bearer tokens). It
// refuses to listen on any address but loopback without both, and says
// why, unless the operator explicitly allows it (--allow_insecure_listen).
// Pure; thread-safe.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace lss {

// Whether a bare host (no port, no brackets) is loopback: 127.0.0.0/8 as a
// dotted quad, ::1 or localhost (any case). Any other name is not, even one
// that resolves to loopback today: DNS can change under a running server.
bool IsLoopbackHost(absl::string_view host);

// Whether HOST:PORT binds loopback only: IsLoopbackHost of its host.
// Wildcards (0.0.0.0, [::], an empty host) and any other name are not.
bool IsLoopbackListen(absl::string_view listen);

// FAILED_PRECONDITION (reason INSECURE_LISTEN) naming what is missing.
absl::Status CheckListenPolicy(absl::string_view listen, bool tls, bool tokens, bool allow_insecure);

}  // namespace lss
