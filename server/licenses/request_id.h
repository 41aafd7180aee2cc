// AIP-155 request ids (CreateLicense, PlaceUpgradeOrder): validated before
// they become idempotency keys at KA and in the database. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace lss {

inline constexpr size_t kMaxRequestIdLength = 64;

// Empty is allowed (the call is then not idempotent across retries);
// otherwise at most kMaxRequestIdLength printable ASCII characters without
// spaces. INVALID_ARGUMENT naming `request_id` otherwise.
absl::Status ValidateRequestId(absl::string_view request_id);

// The key a caller's request id is kept under, in the database and as KA's
// idempotency key: the SHA-256 of the caller's name and the id, each
// length-prefixed, so that two callers' equal ids never meet and no pair of
// texts can pass for another (64 hex digits).
std::string ScopedRequestKey(absl::string_view caller, absl::string_view request_id);

}  // namespace lss
