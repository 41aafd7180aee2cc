// The reactor of an admitted unary call: gRPC's default reactor, plus the
// call's place among the calls in progress (CallAdmission::Ticket), held
// until gRPC is done with the call, so that the count covers the whole call,
// its answer's sending included.
//
// Owns itself: created per call, deleted in OnDone.
#pragma once

#include <grpcpp/support/server_callback.h>

#include <utility>

#include "server/runtime/call_admission.h"

namespace lss {

class AdmittedReactor final : public grpc::ServerUnaryReactor {
 public:
  explicit AdmittedReactor(CallAdmission::Ticket ticket) : ticket_(std::move(ticket)) {}

  void OnDone() override { delete this; }

 private:
  CallAdmission::Ticket ticket_;
};

}  // namespace lss
