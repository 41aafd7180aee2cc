// PickFreeLoopbackPort: a TCP port on 127.0.0.1 that nothing is bound to now.
//
// For programs that cannot be told "port 0, then tell me which" (mariadbd).
// Our gRPC programs can, and GrpcServerProcess uses that instead. The answer
// is racy by nature: another process may bind the port before the program
// does, so callers retry with a fresh port when the program's bind fails.
#pragma once

#include "absl/status/statusor.h"

namespace lss::harness {

// Binds 127.0.0.1:0, reads the port the kernel chose, closes. Thread-safe.
absl::StatusOr<int> PickFreeLoopbackPort();

}  // namespace lss::harness
