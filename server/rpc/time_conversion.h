// absl::Time and absl::Duration to and from google.protobuf well-known
// types, for the conversion files of this folder. Pure; thread-safe.
#pragma once

#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace lss {

// Microsecond precision, as the database stores times.
void SetTimestamp(absl::Time t, google::protobuf::Timestamp* out);
absl::Time FromTimestamp(const google::protobuf::Timestamp& t);
void SetDuration(absl::Duration d, google::protobuf::Duration* out);

}  // namespace lss
