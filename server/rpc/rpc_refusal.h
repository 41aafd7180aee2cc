// Answers a unary call at once with a refusal (an unauthenticated or
// unauthorised caller), before any domain work.
#pragma once

#include <grpcpp/support/server_callback.h>

#include "absl/status/status.h"
#include "server/rpc/grpc_status.h"

namespace lss {

inline grpc::ServerUnaryReactor* Refuse(grpc::CallbackServerContext* context, const absl::Status& refusal) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(refusal));
  return reactor;
}

}  // namespace lss
