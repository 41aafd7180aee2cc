#include "ka-mock/ka_errors.h"

#include <string>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "keyadmin/v1/key_administrator.pb.h"

namespace ka_mock {
namespace {

// Private to this file: the payload only carries the code from KaError to
// ToGrpcStatus inside one process.
constexpr absl::string_view kKaCodePayload = "ka-mock/ka_code";
constexpr absl::string_view kErrorDomain = "keyadmin.v1";

absl::StatusCode CanonicalCodeFor(KaCode code) {
  switch (code) {
    case KaCode::kAuthenticationFailed:
      return absl::StatusCode::kUnauthenticated;
    case KaCode::kKeyNotFound:
      return absl::StatusCode::kNotFound;
    case KaCode::kMalformedKeyNumber:
      return absl::StatusCode::kInvalidArgument;
    case KaCode::kAlreadyInState:
    case KaCode::kKeyProblem:
    case KaCode::kKeyTerminated:
    case KaCode::kNoPriceListEntry:
    case KaCode::kUpgradeNotAcceptable:
      return absl::StatusCode::kFailedPrecondition;
    case KaCode::kRemoteOperationFailed:
      return absl::StatusCode::kInternal;
    case KaCode::kInternal:
      // KA's 300 means "retry later": UNAVAILABLE is the code clients retry.
      return absl::StatusCode::kUnavailable;
  }
  return absl::StatusCode::kUnknown;
}

}  // namespace

absl::Status KaError(KaCode code, absl::string_view message) {
  absl::Status status(CanonicalCodeFor(code), message);
  status.SetPayload(kKaCodePayload,
                    absl::Cord(absl::StrCat(static_cast<int>(code))));
  return status;
}

std::optional<KaCode> KaCodeOf(const absl::Status& status) {
  // absl::optional, which Debian's Abseil does not alias to std::optional.
  const auto payload = status.GetPayload(kKaCodePayload);
  int code = 0;
  if (!payload || !absl::SimpleAtoi(std::string(*payload), &code)) {
    return std::nullopt;
  }
  return static_cast<KaCode>(code);
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // absl::StatusCode and grpc::StatusCode share their numbering.
  const auto code = static_cast<grpc::StatusCode>(status.code());
  std::string message(status.message());
  const std::optional<KaCode> ka_code = KaCodeOf(status);
  if (!ka_code) return grpc::Status(code, message);

  keyadmin::v1::ResultDetail detail;
  detail.set_code(static_cast<keyadmin::v1::ResultCode>(*ka_code));
  detail.set_message(message);

  google::rpc::ErrorInfo info;
  info.set_reason(std::string(absl::StripPrefix(
      keyadmin::v1::ResultCode_Name(detail.code()), "RESULT_CODE_")));
  info.set_domain(std::string(kErrorDomain));
  (*info.mutable_metadata())["ka_code"] =
      absl::StrCat(static_cast<int>(*ka_code));

  google::rpc::Status rpc_status;
  rpc_status.set_code(static_cast<int>(code));
  rpc_status.set_message(message);
  rpc_status.add_details()->PackFrom(detail);
  rpc_status.add_details()->PackFrom(info);
  return grpc::Status(code, std::move(message), rpc_status.SerializeAsString());
}

}  // namespace ka_mock
