#include "client/ka_error_mapping.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "client/key_administrator.h"
#include "common/status/error_details.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "keyadmin/v1/key_administrator.pb.h"

namespace lss {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr absl::string_view kPassword = "hunter2-secret";

// A failure as ka-mock sends it: ResultDetail plus ErrorInfo in the details.
grpc::Status KaFailure(grpc::StatusCode grpc_code, int ka_code, const std::string& text) {
  keyadmin::v1::ResultDetail detail;
  detail.set_code(static_cast<keyadmin::v1::ResultCode>(ka_code));
  detail.set_message(text);
  google::rpc::ErrorInfo info;
  info.set_reason("WHATEVER");
  google::rpc::Status rpc_status;
  rpc_status.set_code(static_cast<int>(grpc_code));
  rpc_status.set_message(text);
  rpc_status.add_details()->PackFrom(info);  // not first: the mapping must search
  rpc_status.add_details()->PackFrom(detail);
  return grpc::Status(grpc_code, text, rpc_status.SerializeAsString());
}

KaCallDescription Call(absl::string_view method = "GetKeyInfo",
                       absl::string_view key_number = "PLSK.00000001") {
  return {.method = method,
          .key_number = key_number,
          .attempts = 1,
          .attempt_deadline = absl::Seconds(5),
          .secret = kPassword};
}

struct CodeCase {
  int ka_code;
  grpc::StatusCode grpc_code;  // what ka-mock sends; the KA code must win anyway
  absl::StatusCode want_code;
  absl::string_view want_reason;
};

class KaCodeMappingTest : public ::testing::TestWithParam<CodeCase> {};

TEST_P(KaCodeMappingTest, MapsCodeReasonAndMetadata) {
  const CodeCase& c = GetParam();
  absl::Status status = MapKaError(KaFailure(c.grpc_code, c.ka_code, "KA says no"), Call());
  EXPECT_EQ(status.code(), c.want_code) << status;
  EXPECT_EQ(ReasonOf(status), c.want_reason) << status;
  EXPECT_EQ(MetadataOf(status, "ka_code"), std::to_string(c.ka_code));
  EXPECT_THAT(std::string(status.message()), HasSubstr(absl::StrCat("KA code ", c.ka_code)));
  EXPECT_THAT(std::string(status.message()), HasSubstr("Key Administrator"));
}

TEST_P(KaCodeMappingTest, KaCodeDecidesWhateverTheGrpcCode) {
  const CodeCase& c = GetParam();
  absl::Status status = MapKaError(KaFailure(grpc::StatusCode::UNKNOWN, c.ka_code, "x"), Call());
  EXPECT_EQ(status.code(), c.want_code) << status;
  EXPECT_EQ(ReasonOf(status), c.want_reason) << status;
}

INSTANTIATE_TEST_SUITE_P(
    EveryKaCode, KaCodeMappingTest,
    ::testing::Values(CodeCase{110, grpc::StatusCode::FAILED_PRECONDITION,
                               absl::StatusCode::kFailedPrecondition, kReasonKaAlreadyInState},
                      CodeCase{200, grpc::StatusCode::UNAUTHENTICATED,
                               absl::StatusCode::kUnavailable, kReasonKaAuthFailed},
                      CodeCase{220, grpc::StatusCode::NOT_FOUND, absl::StatusCode::kNotFound,
                               kReasonKaKeyNotFound},
                      CodeCase{221, grpc::StatusCode::FAILED_PRECONDITION,
                               absl::StatusCode::kFailedPrecondition, kReasonKaKeyProblem},
                      CodeCase{222, grpc::StatusCode::FAILED_PRECONDITION,
                               absl::StatusCode::kFailedPrecondition, kReasonKaKeyTerminated},
                      CodeCase{260, grpc::StatusCode::FAILED_PRECONDITION,
                               absl::StatusCode::kFailedPrecondition, kReasonKaNoPriceListEntry},
                      CodeCase{266, grpc::StatusCode::FAILED_PRECONDITION,
                               absl::StatusCode::kFailedPrecondition,
                               kReasonKaUpgradeNotAcceptable},
                      CodeCase{287, grpc::StatusCode::INTERNAL, absl::StatusCode::kUnavailable,
                               kReasonKaOperationFailed},
                      CodeCase{300, grpc::StatusCode::UNAVAILABLE, absl::StatusCode::kUnavailable,
                               kReasonKaUnavailable},
                      CodeCase{410, grpc::StatusCode::INVALID_ARGUMENT,
                               absl::StatusCode::kInvalidArgument, kReasonMalformedKeyNumber},
                      // A code this client does not know: KA misbehaves, so KA is unavailable.
                      CodeCase{999, grpc::StatusCode::INTERNAL, absl::StatusCode::kUnavailable,
                               kReasonKaUnavailable}),
    [](const ::testing::TestParamInfo<CodeCase>& info) {
      return absl::StrCat("Code", info.param.ka_code);
    });

TEST(KaErrorMappingTest, OnlyUnavailableIsRetried) {
  const grpc::Status down(grpc::StatusCode::UNAVAILABLE, "connection refused");
  const grpc::Status retry_later = KaFailure(grpc::StatusCode::UNAVAILABLE, 300, "busy");
  EXPECT_TRUE(IsRetryableKaFailure(down, /*idempotent=*/true));
  EXPECT_TRUE(IsRetryableKaFailure(retry_later, /*idempotent=*/true));
  // Not idempotent: only KA's explicit "retry later" proves nothing happened.
  EXPECT_FALSE(IsRetryableKaFailure(down, /*idempotent=*/false));
  EXPECT_TRUE(IsRetryableKaFailure(retry_later, /*idempotent=*/false));
  for (bool idempotent : {true, false}) {
    EXPECT_FALSE(IsRetryableKaFailure(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "slow"),
                                      idempotent));
    EXPECT_FALSE(IsRetryableKaFailure(grpc::Status(grpc::StatusCode::CANCELLED, "x"), idempotent));
    EXPECT_FALSE(IsRetryableKaFailure(grpc::Status(grpc::StatusCode::INTERNAL, "x"), idempotent));
    EXPECT_FALSE(IsRetryableKaFailure(KaFailure(grpc::StatusCode::INTERNAL, 287, "x"), idempotent));
    EXPECT_FALSE(
        IsRetryableKaFailure(KaFailure(grpc::StatusCode::NOT_FOUND, 220, "x"), idempotent));
  }
}

TEST(KaErrorMappingTest, KeyNotFoundMessageNamesTheKey) {
  absl::Status status =
      MapKaError(KaFailure(grpc::StatusCode::NOT_FOUND, 220, "no such key"), Call());
  EXPECT_EQ(status.message(), "Key Administrator: key PLSK.00000001 not found (KA code 220)");
}

TEST(KaErrorMappingTest, MalformedKeyNumberNamesTheField) {
  absl::Status status = MapKaError(KaFailure(grpc::StatusCode::INVALID_ARGUMENT, 410, "bad"),
                                   Call("GetKeyInfo", "garbage"));
  std::vector<FieldViolation> violations = FieldViolationsOf(status);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "key_number");
  EXPECT_THAT(violations[0].description, HasSubstr("\"garbage\""));
}

TEST(KaErrorMappingTest, TransportUnavailableWithoutCodeIsUnavailable) {
  KaCallDescription call = Call();
  call.attempts = 4;
  absl::Status status =
      MapKaError(grpc::Status(grpc::StatusCode::UNAVAILABLE, "failed to connect"), call);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ReasonOf(status), kReasonKaUnavailable);
  EXPECT_EQ(MetadataOf(status, "ka_code"), "");  // KA never answered
  EXPECT_THAT(std::string(status.message()), HasSubstr("after 4 attempts"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("failed to connect"));
}

TEST(KaErrorMappingTest, DeadlineExceededIsUnavailableAndSaysTheDeadline) {
  KaCallDescription call = Call();
  call.attempt_deadline = absl::Milliseconds(50);
  absl::Status status =
      MapKaError(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "Deadline Exceeded"), call);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ReasonOf(status), kReasonKaUnavailable);
  EXPECT_THAT(std::string(status.message()), HasSubstr("within 50ms"));
}

TEST(KaErrorMappingTest, OtherTransportFailuresAreUnavailable) {
  for (grpc::StatusCode code :
       {grpc::StatusCode::CANCELLED, grpc::StatusCode::INTERNAL, grpc::StatusCode::UNKNOWN,
        grpc::StatusCode::RESOURCE_EXHAUSTED, grpc::StatusCode::UNIMPLEMENTED}) {
    absl::Status status = MapKaError(grpc::Status(code, "boom"), Call());
    EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << static_cast<int>(code);
    EXPECT_EQ(ReasonOf(status), kReasonKaUnavailable);
  }
}

TEST(KaErrorMappingTest, UnparsableDetailsCountAsNoKaCode) {
  grpc::Status garbled(grpc::StatusCode::NOT_FOUND, "x", "\xff\xff not a proto");
  EXPECT_EQ(KaResultOf(garbled), absl::nullopt);
  absl::Status status = MapKaError(garbled, Call());
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ReasonOf(status), kReasonKaUnavailable);
}

TEST(KaErrorMappingTest, KaResultOfReadsCodeAndText) {
  absl::optional<KaResult> result =
      KaResultOf(KaFailure(grpc::StatusCode::FAILED_PRECONDITION, 266, "downgrade"));
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->code, 266);
  EXPECT_EQ(result->message, "downgrade");
  EXPECT_EQ(KaResultOf(grpc::Status::OK), absl::nullopt);
  EXPECT_EQ(KaResultOf(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down")), absl::nullopt);
}

TEST(KaErrorMappingTest, PasswordNeverReachesTheMessage) {
  const std::string echo = absl::StrCat("bad password ", kPassword, " for billing");
  for (int code : {200, 260, 266, 287, 300, 999}) {
    absl::Status status = MapKaError(KaFailure(grpc::StatusCode::UNKNOWN, code, echo), Call());
    EXPECT_THAT(std::string(status.message()), Not(HasSubstr(kPassword))) << code;
  }
  absl::Status transport = MapKaError(grpc::Status(grpc::StatusCode::UNAVAILABLE, echo), Call());
  EXPECT_THAT(std::string(transport.message()), Not(HasSubstr(kPassword)));
  EXPECT_THAT(std::string(transport.message()), HasSubstr("<redacted>"));
}

TEST(KaErrorMappingTest, ShutdownAndMalformedAnswersAreUnavailable) {
  absl::Status shutdown = KaClientShutdownError(Call());
  EXPECT_EQ(shutdown.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ReasonOf(shutdown), kReasonKaUnavailable);
  absl::Status malformed = MalformedKaAnswerError("GetKeyInfo", "a key");
  EXPECT_EQ(malformed.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ReasonOf(malformed), kReasonKaUnavailable);
  EXPECT_EQ(malformed.message(), "Key Administrator answered GetKeyInfo without a key");
}

}  // namespace
}  // namespace lss
