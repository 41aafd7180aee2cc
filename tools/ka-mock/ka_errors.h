#pragma once

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace ka_mock {

// KA's result codes. Each value is KA's own number, which is also the value
// of keyadmin.v1.ResultCode, so the two convert by a cast.
enum class KaCode : int {
  kAlreadyInState = 110,
  kAuthenticationFailed = 200,
  kKeyNotFound = 220,
  kKeyProblem = 221,
  kKeyTerminated = 222,
  kNoPriceListEntry = 260,
  kUpgradeNotAcceptable = 266,
  kRemoteOperationFailed = 287,
  kInternal = 300,
  kMalformedKeyNumber = 410,
};

// An error as KA answers it: the canonical code that KA's clients expect for
// `code` (e.g. 220 -> NOT_FOUND, 300 -> UNAVAILABLE), `message` as KA's own
// text, and `code` itself riding along as a payload so that it survives the
// domain code until ToGrpcStatus puts it on the wire.
absl::Status KaError(KaCode code, absl::string_view message);

// The KA code of a status made by KaError; nullopt for any other status.
std::optional<KaCode> KaCodeOf(const absl::Status& status);

// Encodes `status` for the wire. With a KA code, the details are a
// google.rpc.Status{code, message, details: [keyadmin.v1.ResultDetail,
// google.rpc.ErrorInfo{reason: the ResultCode name without "RESULT_CODE_",
// domain: "keyadmin.v1", metadata: {"ka_code": "220"}}]}: the format the KA
// client parses. Without one (an injected outage, a bad admin request) only
// the code and message travel, as from a proxy in front of a dead KA.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace ka_mock
