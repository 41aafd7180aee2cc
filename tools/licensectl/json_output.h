// --json: a response message as one JSON document, as scripts and `jq`
// expect it. Field names are the proto's (license_id, not licenseId), so
// they match the .proto files, `buf curl` and the API documentation; fields
// at their default value are printed too (capacity 0, an empty mismatches
// list), so that a script finds every field it looks for.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"

namespace licensectl {

// The JSON text of `message`, indented, ending in '\n'. Protobuf reports a
// failure as a status (never an exception); it becomes INTERNAL here.
absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message);

}  // namespace licensectl
