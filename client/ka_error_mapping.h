// Turns a failed Key Administrator call (a grpc::Status carrying KA's result
// code in its details) into the absl::Status our callers see, following the
// table in client/key_administrator.h. Apart from the client so that every
// KA code and transport failure can be tested without a network.
//
// All functions are pure and thread-safe.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "grpcpp/support/status.h"

namespace lss {

// KA's result code and its own text, from a failed call's details.
struct KaResult {
  int code = 0;  // a keyadmin.v1.ResultCode value, e.g. 220
  std::string message;
};

// The keyadmin.v1.ResultDetail packed into `status`'s google.rpc.Status
// details, or nullopt when there is none (KA never answered: transport
// failure, deadline, cancellation).
absl::optional<KaResult> KaResultOf(const grpc::Status& status);

// Whether a failed attempt may simply be repeated (AIP-194). Only
// UNAVAILABLE says so, never DEADLINE_EXCEEDED (KA may still be working on
// the call). A call that is not idempotent is repeated only on KA's own code
// 300 ("retry later"), which says that KA did nothing: a bare UNAVAILABLE may
// have lost the answer to a call that KA carried out.
bool IsRetryableKaFailure(const grpc::Status& status, bool idempotent);

// What a failed call was about, so that its error can say so to a person.
struct KaCallDescription {
  absl::string_view method = {};      // e.g. "GetKeyInfo"
  absl::string_view key_number = {};  // the key the call named; empty when none
  int attempts = 1;                   // attempts made, retries included
  absl::Duration attempt_deadline = absl::ZeroDuration();
  // Text that must never reach a message, whatever KA echoes: the KA
  // password. Empty: nothing to hide.
  absl::string_view secret = {};
};

// The error our callers see for a failed KA call. `status` must not be OK.
absl::Status MapKaError(const grpc::Status& status, const KaCallDescription& call);

// The error of a call abandoned because the client is being destroyed.
absl::Status KaClientShutdownError(const KaCallDescription& call);

// The error of an OK answer the client cannot use, e.g. GetKeyInfo without
// a key: as good as no answer, so UNAVAILABLE like any other KA fault.
absl::Status MalformedKaAnswerError(absl::string_view method, absl::string_view what);

}  // namespace lss
