// Failed calls, explained to the operator. license-server's errors follow
// AIP-193: a canonical code, a message, and in the status details (a
// serialized google.rpc.Status) an ErrorInfo whose reason names the case and,
// for bad input, a BadRequest naming each offending field. This file decodes
// those details and renders the whole error as text for stderr.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "grpcpp/support/status.h"
#include "licensectl/connection.h"

namespace licensectl {

// What the details of a failed call say, as far as licensectl understands
// them. Detail types other than ErrorInfo and BadRequest are left out.
struct RpcErrorDetails {
  // ErrorInfo.reason, e.g. "LICENSE_NOT_FOUND"; empty without an ErrorInfo.
  std::string reason;
  // ErrorInfo.metadata (e.g. the running job's id), sorted by key.
  std::vector<std::pair<std::string, std::string>> metadata;
  // BadRequest's field violations: (field, description), in the server's order.
  std::vector<std::pair<std::string, std::string>> field_violations;
};

// Decodes status.error_details(). Details that are absent or cannot be
// parsed decode as empty: the code and message are enough to go on.
RpcErrorDetails DecodeErrorDetails(const grpc::Status& status);

// The error as lines for stderr, each ending in '\n':
//   error: NOT_FOUND: no license with License ID 42
//     reason: LICENSE_NOT_FOUND
//     job_id: 0193...                      (each ErrorInfo metadata entry)
//     field page_size: must not be negative (each BadRequest violation)
std::string DescribeRpcError(const grpc::Status& status);

// A line suggesting what to try, when the error most likely comes from how
// licensectl was invoked rather than from the server's answer: no answer
// within the timeout, a server that could not be reached, a missing token.
// Empty when there is nothing useful to add.
std::string RpcErrorHint(const grpc::Status& status, const ConnectionOptions& connection);

}  // namespace licensectl
