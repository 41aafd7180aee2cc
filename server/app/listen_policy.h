// Secure by default (DESIGN.md §4 "Security"): a server reachable from
// other machines must encrypt (TLS) and authenticate (bearer tokens). It
// refuses to listen on any address but loopback without both, and says
// why, unless the operator explicitly allows it (--allow_insecure_listen).
// Pure; thread-safe.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace lss {

// Whether HOST:PORT binds loopback only: 127.0.0.0/8, ::1 or localhost.
// Wildcards (0.0.0.0, [::], an empty host) and any other name are not.
bool IsLoopbackListen(absl::string_view listen);

// FAILED_PRECONDITION (reason INSECURE_LISTEN) naming what is missing.
absl::Status CheckListenPolicy(absl::string_view listen, bool tls, bool tokens, bool allow_insecure);

}  // namespace lss
