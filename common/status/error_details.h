// AIP-193 error details carried on absl::Status below the gRPC layer.
//
// Domain, storage and client code say *why* a call failed with a machine-
// readable reason (google.rpc.ErrorInfo.reason, e.g. "LICENSE_NOT_FOUND") and,
// for bad input, which field was wrong (google.rpc.BadRequest). Both travel as
// absl::Status payloads keyed by their type URL, holding the serialized
// google.rpc message, so the gRPC edge (server/rpc/grpc_status.h) copies them
// into google.rpc.Status details without knowing any reason.
//
// All functions are pure and thread-safe.
#pragma once

#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"

namespace lss {

// The ErrorInfo.domain of every error this service produces.
inline constexpr absl::string_view kErrorDomain = "licensing.v1";

// A field of the request and what is wrong with it (AIP-193 BadRequest).
struct FieldViolation {
  std::string field;        // request field path, e.g. "key_number"
  std::string description;  // what is wrong, for a person
};

// Returns `status` with an ErrorInfo reason attached (replacing any earlier
// one). An OK status is returned unchanged.
absl::Status WithReason(absl::Status status, absl::string_view reason);

// Returns `status` with ErrorInfo metadata `key`=`value` added, keeping its
// reason. Used for facts a caller may act on, e.g. the running job's id.
absl::Status WithMetadata(absl::Status status, absl::string_view key, absl::string_view value);

// INVALID_ARGUMENT naming one bad field, with reason `reason` (default
// "INVALID_ARGUMENT"). The message is "<field>: <description>".
absl::Status InvalidArgumentError(absl::string_view field, absl::string_view description,
                                  absl::string_view reason = "INVALID_ARGUMENT");

// INVALID_ARGUMENT naming several bad fields at once; `violations` must not
// be empty.
absl::Status InvalidArgumentError(const std::vector<FieldViolation>& violations,
                                  absl::string_view reason = "INVALID_ARGUMENT");

// `status` with `message` in place of its message, its code, reason,
// metadata and field violations kept: for adding context on the way up.
absl::Status WithMessage(const absl::Status& status, absl::string_view message);

// Returns `status` with a google.rpc.RetryInfo saying how long the caller
// should wait before trying again (AIP-194: an overloaded server tells its
// callers when to come back instead of letting them hammer it).
absl::Status WithRetryDelay(absl::Status status, absl::Duration delay);

// The delay attached by WithRetryDelay, or absl::nullopt when there is none.
absl::optional<absl::Duration> RetryDelayOf(const absl::Status& status);

// The reason attached by WithReason, or "" when there is none.
std::string ReasonOf(const absl::Status& status);

// The ErrorInfo metadata value under `key`, or "" when absent.
std::string MetadataOf(const absl::Status& status, absl::string_view key);

// The field violations attached by InvalidArgumentError, in order.
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);

}  // namespace lss
