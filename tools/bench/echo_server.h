// The bare service that the unary figures are set beside: the same gRPC
// server API as license-server (the callback API with the default unary
// reactor, the generated licensing.v1.LicenseService, the same messages),
// but GetLicense answers at once from memory with a canned response, with
// no worker pool, database or conversion in between. What license-server
// adds to a call is the difference between the two.
//
// Runs in a process of its own (the benchmark starts itself with
// --mode=echo_server), as license-server does, and keeps the harness's
// contract: --listen, --port_file, health SERVING once ready.
#pragma once

#include <string>

namespace lss::bench {

// Serves until SIGTERM or SIGINT; returns the process's exit code.
// `response_file` holds a serialized GetLicenseResponse to answer with.
int RunEchoServer(const std::string& listen, const std::string& port_file, const std::string& response_file);

}  // namespace lss::bench
