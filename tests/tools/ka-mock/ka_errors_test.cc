#include "ka-mock/ka_errors.h"

#include <string>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "keyadmin/v1/key_administrator.pb.h"

namespace ka_mock {
namespace {

TEST(KaErrorTest, CanonicalCodePerKaCode) {
  const struct {
    KaCode ka;
    absl::StatusCode canonical;
  } cases[] = {
      {KaCode::kAlreadyInState, absl::StatusCode::kFailedPrecondition},
      {KaCode::kAuthenticationFailed, absl::StatusCode::kUnauthenticated},
      {KaCode::kKeyNotFound, absl::StatusCode::kNotFound},
      {KaCode::kKeyProblem, absl::StatusCode::kFailedPrecondition},
      {KaCode::kKeyTerminated, absl::StatusCode::kFailedPrecondition},
      {KaCode::kNoPriceListEntry, absl::StatusCode::kFailedPrecondition},
      {KaCode::kUpgradeNotAcceptable, absl::StatusCode::kFailedPrecondition},
      {KaCode::kRemoteOperationFailed, absl::StatusCode::kInternal},
      {KaCode::kInternal, absl::StatusCode::kUnavailable},
      {KaCode::kMalformedKeyNumber, absl::StatusCode::kInvalidArgument},
  };
  for (const auto& c : cases) {
    const absl::Status status = KaError(c.ka, "text");
    EXPECT_EQ(status.code(), c.canonical) << static_cast<int>(c.ka);
    EXPECT_EQ(KaCodeOf(status), c.ka);
    EXPECT_EQ(status.message(), "text");
  }
}

TEST(KaErrorTest, OtherStatusesHaveNoKaCode) {
  EXPECT_FALSE(KaCodeOf(absl::NotFoundError("x")).has_value());
  EXPECT_FALSE(KaCodeOf(absl::OkStatus()).has_value());
}

TEST(ToGrpcStatusTest, CarriesResultDetailAndErrorInfo) {
  const grpc::Status status =
      ToGrpcStatus(KaError(KaCode::kKeyNotFound, "key X not found"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "key X not found");

  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  EXPECT_EQ(details.code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(details.message(), "key X not found");
  ASSERT_EQ(details.details_size(), 2);

  keyadmin::v1::ResultDetail result;
  ASSERT_TRUE(details.details(0).UnpackTo(&result));
  EXPECT_EQ(result.code(), keyadmin::v1::RESULT_CODE_KEY_NOT_FOUND);
  EXPECT_EQ(result.message(), "key X not found");

  google::rpc::ErrorInfo info;
  ASSERT_TRUE(details.details(1).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "KEY_NOT_FOUND");
  EXPECT_EQ(info.domain(), "keyadmin.v1");
  EXPECT_EQ(info.metadata().at("ka_code"), "220");
}

TEST(ToGrpcStatusTest, ReasonIsTheResultCodeNameForEveryCode) {
  for (KaCode code :
       {KaCode::kAlreadyInState, KaCode::kAuthenticationFailed,
        KaCode::kKeyProblem, KaCode::kKeyTerminated, KaCode::kNoPriceListEntry,
        KaCode::kUpgradeNotAcceptable, KaCode::kRemoteOperationFailed,
        KaCode::kInternal, KaCode::kMalformedKeyNumber}) {
    google::rpc::Status details;
    ASSERT_TRUE(details.ParseFromString(
        ToGrpcStatus(KaError(code, "x")).error_details()));
    google::rpc::ErrorInfo info;
    ASSERT_TRUE(details.details(1).UnpackTo(&info));
    EXPECT_EQ("RESULT_CODE_" + info.reason(),
              keyadmin::v1::ResultCode_Name(
                  static_cast<keyadmin::v1::ResultCode>(code)));
  }
}

TEST(ToGrpcStatusTest, NonKaErrorsTravelBare) {
  const grpc::Status status =
      ToGrpcStatus(absl::UnavailableError("KA outage (injected)"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(status.error_message(), "KA outage (injected)");
  EXPECT_TRUE(status.error_details().empty());
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

}  // namespace
}  // namespace ka_mock
