// What one connection may hold of the server, set on the gRPC server at
// start (issue 15): a memory quota for all of gRPC's buffers, a bound on
// streams in flight per connection, keepalive pings the server sends and
// the pings it tolerates from clients (more frequent ones end the
// connection with GOAWAY "too_many_pings"), and a maximum connection age,
// so that a client cannot pin one connection (and the replica behind a load
// balancer) forever; streams still open when it is reached get a grace
// period to end.
//
// Plain values and one function; thread-safe.
#pragma once

#include <grpcpp/server_builder.h>

#include <cstdint>

#include "absl/time/time.h"

namespace lss {

struct TransportLimits {
  int64_t memory_quota_bytes = int64_t{1} << 30;  // 1 GiB for gRPC's buffers
  // Above the 1,000 watchers the design's benchmark opens on one channel.
  int max_concurrent_streams = 1100;
  absl::Duration keepalive_time = absl::Minutes(1);     // ping an idle client this often
  absl::Duration keepalive_timeout = absl::Seconds(20);  // and drop it when no answer comes this soon
  absl::Duration min_client_ping_interval = absl::Seconds(10);
  absl::Duration max_connection_age = absl::Hours(1);
  // Long enough for a SyncAll of a million licenses to be watched to its end.
  absl::Duration max_connection_age_grace = absl::Minutes(10);
};

void ApplyTransportLimits(const TransportLimits& limits, grpc::ServerBuilder& builder);

}  // namespace lss
