#include "licensectl/rpc_errors.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace licensectl {
namespace {

// "NOT_FOUND"; gRPC's codes are Abseil's, number for number. A code this
// build does not know (none exist today) shows as its number.
std::string CodeName(grpc::StatusCode code) {
  std::string name = absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
  return name.empty() ? absl::StrCat("code ", static_cast<int>(code)) : name;
}

}  // namespace

RpcErrorDetails DecodeErrorDetails(const grpc::Status& status) {
  RpcErrorDetails decoded;
  google::rpc::Status rich_status;
  if (status.error_details().empty() || !rich_status.ParseFromString(status.error_details())) {
    return decoded;
  }
  for (const google::protobuf::Any& detail : rich_status.details()) {
    if (google::rpc::ErrorInfo info; detail.UnpackTo(&info)) {
      decoded.reason = info.reason();
      decoded.metadata.assign(info.metadata().begin(), info.metadata().end());
      // A protobuf map's order is unspecified; sort for stable output.
      std::sort(decoded.metadata.begin(), decoded.metadata.end());
    } else if (google::rpc::BadRequest bad_request; detail.UnpackTo(&bad_request)) {
      for (const auto& violation : bad_request.field_violations()) {
        decoded.field_violations.emplace_back(violation.field(), violation.description());
      }
    }
  }
  return decoded;
}

std::string DescribeRpcError(const grpc::Status& status) {
  std::string text = absl::StrCat("error: ", CodeName(status.error_code()));
  if (!status.error_message().empty()) absl::StrAppend(&text, ": ", status.error_message());
  text += '\n';

  const RpcErrorDetails details = DecodeErrorDetails(status);
  if (!details.reason.empty()) absl::StrAppend(&text, "  reason: ", details.reason, "\n");
  for (const auto& [key, value] : details.metadata) {
    absl::StrAppend(&text, "  ", key, ": ", value, "\n");
  }
  for (const auto& [field, description] : details.field_violations) {
    absl::StrAppend(&text, "  field ", field, ": ", description, "\n");
  }
  return text;
}

std::string RpcErrorHint(const grpc::Status& status, const ConnectionOptions& connection) {
  switch (status.error_code()) {
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return absl::StrCat("  hint: no answer within ", absl::FormatDuration(connection.timeout),
                          "; --timeout SECONDS waits longer\n");
    case grpc::StatusCode::UNAVAILABLE:
      // With an ErrorInfo the server itself answered (e.g. the Key
      // Administrator is down): the address is fine.
      if (!DecodeErrorDetails(status).reason.empty()) return "";
      return absl::StrCat("  hint: is license-server running at ", connection.address,
                          "? (--address HOST:PORT or LICENSECTL_ADDRESS)\n");
    case grpc::StatusCode::UNAUTHENTICATED:
      if (!connection.token.empty()) return "";
      return "  hint: no token was sent: --token-file FILE or --token TOKEN (or LICENSECTL_TOKEN_FILE, "
             "LICENSECTL_TOKEN)\n";
    default:
      return "";
  }
}

}  // namespace licensectl
