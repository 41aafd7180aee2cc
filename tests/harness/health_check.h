// CheckHealth: one call of the standard gRPC health service
// (grpc.health.v1.Health/Check), which every program of ours serves.
//
// Debian installs no generated code for grpc/health/v1/health.proto, and
// generating it here would clash ("file already registered") with any test
// that links another copy. The messages are tiny, so the call goes through
// grpc::GenericStub with the bytes encoded and decoded by protobuf's wire
// format helpers.
#pragma once

#include <memory>
#include <ostream>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"

namespace lss::harness {

// grpc.health.v1.HealthCheckResponse.ServingStatus, same numbers.
enum class ServingStatus {
  kUnknown = 0,
  kServing = 1,
  kNotServing = 2,
  kServiceUnknown = 3,  // only sent by Watch; Check answers NOT_FOUND instead
};

// "SERVING", "NOT_SERVING"... as in the proto; for messages.
absl::string_view ServingStatusName(ServingStatus status);
inline std::ostream& operator<<(std::ostream& os, ServingStatus status) {
  return os << ServingStatusName(status);
}

// Asks `channel`'s server for the health of `service` ("" = the whole
// server), with a deadline of `timeout`. The call fails fast when the server
// cannot be reached (UNAVAILABLE) unless `wait_for_ready`, in which case it
// waits for a connection until the deadline. RPC failures come back as the
// absl::Status with the same code: a frozen server gives DEADLINE_EXCEEDED, a
// killed one UNAVAILABLE. Thread-safe.
absl::StatusOr<ServingStatus> CheckHealth(
    const std::shared_ptr<grpc::Channel>& channel, absl::string_view service,
    absl::Duration timeout, bool wait_for_ready = false);

}  // namespace lss::harness
