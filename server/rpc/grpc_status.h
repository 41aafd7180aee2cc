// The one place where an absl::Status becomes a grpc::Status.
//
// Handlers return `ToGrpcStatus(domain_status)`. The canonical code and the
// message pass through; every payload attached below (the ErrorInfo reason
// and BadRequest field violations of common/status/error_details.h) becomes a
// google.rpc.Status detail, so callers read them with any gRPC client
// (`buf curl` prints them). An error without a reason gets one derived from
// its code, so that every error carries an ErrorInfo (AIP-193).
//
// Pure functions; thread-safe.
#pragma once

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace lss {

grpc::Status ToGrpcStatus(const absl::Status& status);

// The reverse, for our own tests and tools that read a server's answer: the
// code, message and every google.rpc.Status detail back as absl payloads.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace lss
