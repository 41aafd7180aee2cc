#include "server/rpc/grpc_status.h"

#include <gtest/gtest.h>

#include "common/status/error_details.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace lss {
namespace {

google::rpc::Status DetailsOf(const grpc::Status& status) {
  google::rpc::Status proto;
  EXPECT_TRUE(proto.ParseFromString(status.error_details()));
  return proto;
}

TEST(GrpcStatusTest, OkIsOk) { EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok()); }

TEST(GrpcStatusTest, CodeMessageAndReasonReachTheWire) {
  grpc::Status status =
      ToGrpcStatus(WithReason(absl::NotFoundError("license 7 not found"), "LICENSE_NOT_FOUND"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "license 7 not found");

  google::rpc::Status proto = DetailsOf(status);
  EXPECT_EQ(proto.code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_EQ(proto.details_size(), 1);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(proto.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "LICENSE_NOT_FOUND");
  EXPECT_EQ(info.domain(), kErrorDomain);
}

TEST(GrpcStatusTest, BadRequestNamesTheField) {
  grpc::Status status = ToGrpcStatus(InvalidArgumentError("page_size", "must not be negative"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status proto = DetailsOf(status);
  google::rpc::BadRequest bad_request;
  google::rpc::ErrorInfo info;
  for (const auto& detail : proto.details()) {
    if (detail.Is<google::rpc::BadRequest>()) {
      ASSERT_TRUE(detail.UnpackTo(&bad_request));
    } else if (detail.Is<google::rpc::ErrorInfo>()) {
      ASSERT_TRUE(detail.UnpackTo(&info));
    }
  }
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "page_size");
  EXPECT_EQ(info.reason(), "INVALID_ARGUMENT");
}

TEST(GrpcStatusTest, ErrorWithoutReasonGetsOneFromItsCode) {
  grpc::Status status = ToGrpcStatus(absl::UnavailableError("database down"));
  google::rpc::ErrorInfo info;
  ASSERT_EQ(DetailsOf(status).details_size(), 1);
  ASSERT_TRUE(DetailsOf(status).details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "UNAVAILABLE");
}

TEST(GrpcStatusTest, RoundTripKeepsReasonMetadataAndViolations) {
  absl::Status original =
      WithMetadata(WithReason(absl::AbortedError("job 9 is running"), "SYNC_JOB_RUNNING"), "job_id", "9");
  absl::Status back = FromGrpcStatus(ToGrpcStatus(original));
  EXPECT_EQ(back.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(back.message(), "job 9 is running");
  EXPECT_EQ(ReasonOf(back), "SYNC_JOB_RUNNING");
  EXPECT_EQ(MetadataOf(back, "job_id"), "9");

  absl::Status bad = FromGrpcStatus(ToGrpcStatus(InvalidArgumentError("key_number", "malformed")));
  ASSERT_EQ(FieldViolationsOf(bad).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(bad)[0].field, "key_number");
}

}  // namespace
}  // namespace lss
