// The id that ties together one call's log line, audit event and the
// caller's own logs: the caller's "x-request-id" metadata when acceptable,
// else one the server makes. The server echoes it in the call's trailing
// metadata under the same key, so a caller that sent none can still quote
// it.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/optional.h"

namespace lss {

// Metadata key a caller may set to correlate its logs with ours.
inline constexpr absl::string_view kRequestIdMetadata = "x-request-id";
// Longest request id accepted from a caller; longer ones are replaced.
inline constexpr size_t kMaxCallerRequestIdLength = 128;

// A caller's id is echoed into logs and audit rows: only short, printable
// ids are accepted, so that nobody can forge log lines through it.
bool IsAcceptableRequestId(absl::string_view id);

// `sent` when acceptable, else a new random id (16 hex digits).
std::string CallRequestId(absl::optional<absl::string_view> sent);

}  // namespace lss
