// Whether a gRPC target stays on this machine: where a bearer token may
// travel without TLS, since no one on a network path can read it there.
#pragma once

#include "absl/strings/string_view.h"

namespace licensectl {

// True when every address `target` names is local: a loopback IP
// (127.0.0.0/8, ::1, ::ffff:127.x.x.x), the name "localhost", or a Unix
// domain socket (unix:PATH, unix:///PATH, unix-abstract:NAME). Understands
// the target forms gRPC does: HOST:PORT, HOST alone, [IPV6]:PORT,
// dns:[//AUTHORITY/]HOST[:PORT], ipv4:ADDR[:PORT],... and
// ipv6:[ADDR]:PORT,... (each address must be loopback). Anything else (any
// other name, any other scheme) counts as remote: when in doubt, the token
// is not sent in plaintext. Pure: resolves no name.
bool IsLoopbackTarget(absl::string_view target);

}  // namespace licensectl
