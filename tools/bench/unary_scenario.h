// Scenario 5 of DESIGN.md §5, one run: GetLicense and SyncLicense on
// license-server at each concurrency, each beside the bare echo service
// (echo_server.h) at the same concurrency, one right after the other; at
// the floors' client counts also the bare P and W on the same database
// (bare_point_calls.h), which with the echo make the calls' floors.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bench/bench_config.h"
#include "bench/bench_results.h"
#include "bench/bench_stack.h"
#include "tests/harness/harness.h"

namespace lss::bench {

inline constexpr char kEchoService[] = "echo";
inline constexpr char kGetLicenseService[] = "GetLicense";
inline constexpr char kSyncLicenseService[] = "SyncLicense";
inline constexpr char kBareReadService[] = "P";
inline constexpr char kBareWriteService[] = "W";

// Starts the echo service (this binary in --mode=echo_server), answering
// with what license-server answers to GetLicense for the first license, so
// both send the same bytes.
absl::StatusOr<std::unique_ptr<harness::GrpcServerProcess>> StartEchoServer(BenchStack& stack,
                                                                            const BenchConfig& config);

// Failures go to `errors`; a point whose calls failed is kept and its
// errors counted in it.
std::vector<UnaryPoint> MeasureUnary(BenchStack& stack, const harness::GrpcServerProcess& echo,
                                     const BenchConfig& config, const std::string& run_label,
                                     std::vector<std::string>& errors);

}  // namespace lss::bench
