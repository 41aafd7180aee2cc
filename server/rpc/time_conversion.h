// absl::Time and absl::Duration to and from google.protobuf well-known
// types, for the conversion files of this folder. Pure; thread-safe.
#pragma once

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace lss {

// Microsecond precision, as the database stores times.
void SetTimestamp(absl::Time t, google::protobuf::Timestamp* out);
absl::Time FromTimestamp(const google::protobuf::Timestamp& t);
// A Timestamp from a request: INVALID_ARGUMENT naming `field` when its nanos
// are outside [0, 1e9) or it lies outside the years 1 to 9999 (AIP-142).
absl::StatusOr<absl::Time> TimeFromRequest(const google::protobuf::Timestamp& t, absl::string_view field);
void SetDuration(absl::Duration d, google::protobuf::Duration* out);

}  // namespace lss
