// The small pieces every reliability client call needs: a deadline on every
// call (a hung server must fail the test, not hang it), the AIP-193 reason
// of a refusal, and gRPC statuses as absl ones. Thread-safe.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace lss::reliability {

std::unique_ptr<grpc::ClientContext> Deadline(absl::Duration timeout = absl::Seconds(60));

// The ErrorInfo reason of a failed call; empty when it has none.
std::string ReasonOf(const grpc::Status& status);

// "ABORTED", "FAILED_PRECONDITION", ...
std::string CodeName(grpc::StatusCode code);

// `what` prefixed to the message, the code kept.
absl::Status ToAbsl(const grpc::Status& status, const std::string& what);

}  // namespace lss::reliability
