// What the server's interceptors tell observers about each finished
// LicenseService call: the call log (server/rpc/call_log.h) and the RPC
// metrics (server/metrics/rpc_metrics.h) see the same facts, measured once.
#pragma once

#include <grpcpp/support/status.h>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace lss {

struct FinishedCall {
  // The method's short name, e.g. "SyncLicense".
  absl::string_view method;
  grpc::StatusCode code = grpc::StatusCode::OK;
  // The ErrorInfo reason of a failed call ("LICENSE_NOT_FOUND"); empty when OK.
  absl::string_view reason;
  // From the call's arrival to its status being sent (a stream's whole life).
  absl::Duration elapsed;
  // The caller's x-request-id, or the one the server made for the call.
  absl::string_view request_id;
  // gRPC's peer string, e.g. "ipv4:127.0.0.1:53422".
  absl::string_view peer;
};

// Thread-safe: called from gRPC's threads, concurrently, once per call. Must
// not block: the call's status waits for it.
class CallObserver {
 public:
  virtual ~CallObserver() = default;
  virtual void OnCallFinished(const FinishedCall& call) = 0;
};

}  // namespace lss
