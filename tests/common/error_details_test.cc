#include "common/status/error_details.h"

#include <gtest/gtest.h>

namespace lss {
namespace {

TEST(ErrorDetailsTest, ReasonRoundTrips) {
  absl::Status status = WithReason(absl::NotFoundError("license 7 not found"), "LICENSE_NOT_FOUND");
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "license 7 not found");
  EXPECT_EQ(ReasonOf(status), "LICENSE_NOT_FOUND");
}

TEST(ErrorDetailsTest, OkStatusStaysOk) {
  absl::Status status = WithReason(absl::OkStatus(), "ANYTHING");
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(ReasonOf(status), "");
}

TEST(ErrorDetailsTest, ReasonIsReplacedAndMetadataKept) {
  absl::Status status = WithMetadata(absl::AbortedError("busy"), "job_id", "42");
  status = WithReason(status, "SYNC_JOB_RUNNING");
  status = WithReason(status, "SYNC_JOB_ALREADY_RUNNING");
  EXPECT_EQ(ReasonOf(status), "SYNC_JOB_ALREADY_RUNNING");
  EXPECT_EQ(MetadataOf(status, "job_id"), "42");
  EXPECT_EQ(MetadataOf(status, "absent"), "");
}

TEST(ErrorDetailsTest, InvalidArgumentNamesTheField) {
  absl::Status status = InvalidArgumentError("key_number", "must look like PLSK.00012345[.0001]",
                                             "MALFORMED_KEY_NUMBER");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "key_number: must look like PLSK.00012345[.0001]");
  EXPECT_EQ(ReasonOf(status), "MALFORMED_KEY_NUMBER");
  std::vector<FieldViolation> violations = FieldViolationsOf(status);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "key_number");
}

TEST(ErrorDetailsTest, SeveralViolationsKeepTheirOrder) {
  absl::Status status =
      InvalidArgumentError({{"page_size", "must not be negative"}, {"page_token", "not ours"}});
  EXPECT_EQ(ReasonOf(status), "INVALID_ARGUMENT");
  std::vector<FieldViolation> violations = FieldViolationsOf(status);
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].field, "page_size");
  EXPECT_EQ(violations[1].field, "page_token");
  EXPECT_EQ(status.message(), "page_size: must not be negative; page_token: not ours");
}

TEST(ErrorDetailsTest, PlainStatusHasNoDetails) {
  absl::Status status = absl::InternalError("boom");
  EXPECT_EQ(ReasonOf(status), "");
  EXPECT_TRUE(FieldViolationsOf(status).empty());
}

}  // namespace
}  // namespace lss

namespace lss {
namespace {

TEST(WithMessageTest, KeepsCodeReasonMetadataAndFields) {
  const absl::Status original =
      WithMetadata(InvalidArgumentError("key_number", "is malformed", "MALFORMED_KEY_NUMBER"), "ka_code", "410");
  const absl::Status annotated = WithMessage(original, "importing: key_number: is malformed");
  EXPECT_EQ(annotated.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(annotated.message(), "importing: key_number: is malformed");
  EXPECT_EQ(ReasonOf(annotated), "MALFORMED_KEY_NUMBER");
  EXPECT_EQ(MetadataOf(annotated, "ka_code"), "410");
  ASSERT_EQ(FieldViolationsOf(annotated).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(annotated)[0].field, "key_number");
  EXPECT_TRUE(WithMessage(absl::OkStatus(), "ignored").ok());
}

}  // namespace
}  // namespace lss
