#include "server/rpc/grpc_status.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"
#include "google/rpc/status.pb.h"

namespace lss {
namespace {

// Errors built without a reason (a bare absl::InternalError from a library,
// say) still carry an ErrorInfo, named after their code.
std::string DefaultReason(absl::StatusCode code) {
  return absl::StatusCodeToString(code);  // "NOT_FOUND", "INTERNAL", ...
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  absl::Status with_reason =
      ReasonOf(status).empty() ? WithReason(status, DefaultReason(status.code())) : status;

  google::rpc::Status proto;
  proto.set_code(static_cast<int>(status.code()));
  proto.set_message(std::string(status.message()));
  with_reason.ForEachPayload([&proto](absl::string_view type_url, const absl::Cord& payload) {
    google::protobuf::Any* detail = proto.add_details();
    detail->set_type_url(std::string(type_url));
    detail->set_value(std::string(payload));
  });
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()),
                      proto.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status out(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  google::rpc::Status proto;
  if (!status.error_details().empty() && proto.ParseFromString(status.error_details())) {
    for (const google::protobuf::Any& detail : proto.details()) {
      out.SetPayload(detail.type_url(), absl::Cord(detail.value()));
    }
  }
  return out;
}

}  // namespace lss
