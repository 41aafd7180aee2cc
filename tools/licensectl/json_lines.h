// --json for streams: JSON Lines (https://jsonlines.org), one event per
// line, each a complete JSON object, so that a script can act on each event
// as it comes (`while read -r line`, `jq -c`) and never holds a document that
// only ends with the job. Field names and defaults as in json_output.h.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"

namespace licensectl {

// `message` as one line of JSON, ending in '\n'. Protobuf reports a failure
// as a status (never an exception); it becomes INTERNAL here.
absl::StatusOr<std::string> ToJsonLine(const google::protobuf::Message& message);

}  // namespace licensectl
