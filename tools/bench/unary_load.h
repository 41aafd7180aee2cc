// A closed-loop load of unary calls: `concurrency` clients, each making one
// call after another with no pause, for a fixed time. Throughput and latency
// come from the calls that ended inside the measured window (after a
// warm-up), so start-up and draining do not count.
#pragma once

#include <cstdint>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/functional/function_ref.h"
#include "absl/time/time.h"
#include "bench/stats.h"
#include "grpcpp/support/status.h"

namespace lss::bench {

// One kind of call. Implementations are thread-safe.
class UnaryCaller {
 public:
  virtual ~UnaryCaller() = default;
  // Starts one call for client `client` (whose calls never overlap) and
  // returns at once; `done` runs exactly once, on any thread, when it ends.
  // `done` may start the client's next call.
  virtual void Call(int client, absl::AnyInvocable<void(const grpc::Status&) &&> done) = 0;
};

struct UnaryLoadResult {
  int concurrency = 0;
  int64_t calls = 0;  // ended in the window, failed ones included
  int64_t errors = 0;
  std::string first_error;
  absl::Duration window;
  LatencySummary latency;  // of the successful calls

  double PerSecond() const;
};

// Blocks for about warm_up + window, plus the time for the last calls to
// end.
UnaryLoadResult RunClosedLoop(UnaryCaller& caller, int concurrency, absl::Duration warm_up, absl::Duration window);

// The same load, its window open from the end of the warm-up until
// `during` (run on the calling thread once the warm-up is over) returns:
// a load that lasts exactly as long as something else does.
UnaryLoadResult RunClosedLoopDuring(UnaryCaller& caller, int concurrency, absl::Duration warm_up,
                                    absl::FunctionRef<void()> during);

}  // namespace lss::bench
