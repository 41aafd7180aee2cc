#include "licensectl/json_lines.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace licensectl {

absl::StatusOr<std::string> ToJsonLine(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  // Without whitespace the printer emits no newline, inside strings included
  // (they are escaped), so the object is exactly one line.
  options.add_whitespace = false;
  std::string json;
  const auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("cannot print the event as JSON: ", status.ToString()));
  }
  json += '\n';
  return json;
}

}  // namespace licensectl
