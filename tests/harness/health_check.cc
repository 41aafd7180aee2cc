#include "tests/harness/health_check.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"
#include "grpcpp/client_context.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"

namespace lss::harness {
namespace {

using ::google::protobuf::internal::WireFormatLite;

constexpr char kCheckMethod[] = "/grpc.health.v1.Health/Check";
// Field 1 of both HealthCheckRequest (service) and HealthCheckResponse
// (status).
constexpr int kField = 1;

// HealthCheckRequest{service}. The empty request (no bytes) asks for "".
std::string EncodeRequest(absl::string_view service) {
  std::string bytes;
  if (service.empty()) return bytes;
  {
    // The streams trim `bytes` to the written size when destroyed.
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    WireFormatLite::WriteString(kField, std::string(service), &out);
  }
  return bytes;
}

// HealthCheckResponse.status; other fields, if a newer server sends any, are
// skipped as protobuf parsers do.
absl::StatusOr<ServingStatus> DecodeResponse(const std::string& bytes) {
  google::protobuf::io::CodedInputStream in(
      reinterpret_cast<const uint8_t*>(bytes.data()),
      static_cast<int>(bytes.size()));
  uint64_t status = 0;  // proto3 default: UNKNOWN
  while (const uint32_t tag = in.ReadTag()) {
    if (WireFormatLite::GetTagFieldNumber(tag) == kField &&
        WireFormatLite::GetTagWireType(tag) ==
            WireFormatLite::WIRETYPE_VARINT) {
      if (!in.ReadVarint64(&status)) break;
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return absl::InternalError("malformed HealthCheckResponse");
    }
  }
  if (!in.ConsumedEntireMessage()) {
    return absl::InternalError("malformed HealthCheckResponse");
  }
  return static_cast<ServingStatus>(status);
}

std::string ToString(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (!buffer.Dump(&slices).ok()) return bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

}  // namespace

absl::string_view ServingStatusName(ServingStatus status) {
  switch (status) {
    case ServingStatus::kUnknown:
      return "UNKNOWN";
    case ServingStatus::kServing:
      return "SERVING";
    case ServingStatus::kNotServing:
      return "NOT_SERVING";
    case ServingStatus::kServiceUnknown:
      return "SERVICE_UNKNOWN";
  }
  return "(unknown ServingStatus)";
}

absl::StatusOr<ServingStatus> CheckHealth(
    const std::shared_ptr<grpc::Channel>& channel, absl::string_view service,
    absl::Duration timeout, bool wait_for_ready) {
  const std::string request_bytes = EncodeRequest(service);
  grpc::Slice request_slice(request_bytes);
  grpc::ByteBuffer request(&request_slice, 1);
  grpc::ByteBuffer response;

  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  context.set_wait_for_ready(wait_for_ready);

  // The generic stub only offers the callback API; block on its completion.
  grpc::GenericStub stub(channel);
  absl::Notification done;
  grpc::Status rpc_status;
  stub.UnaryCall(&context, kCheckMethod, grpc::StubOptions(), &request,
                 &response, [&](grpc::Status status) {
                   rpc_status = std::move(status);
                   done.Notify();
                 });
  done.WaitForNotification();

  if (!rpc_status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(rpc_status.error_code()),
                        absl::StrCat("grpc.health.v1.Health/Check(\"", service,
                                     "\"): ", rpc_status.error_message()));
  }
  return DecodeResponse(ToString(response));
}

}  // namespace lss::harness
