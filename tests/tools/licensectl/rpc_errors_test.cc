// Decoding AIP-193 error details from a grpc::Status and explaining the
// error to the operator.
#include "licensectl/rpc_errors.h"

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace licensectl {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

// A status as license-server sends it: a google.rpc.Status with the details,
// serialized into the grpc::Status's error_details.
grpc::Status RichStatus(grpc::StatusCode code, const std::string& message,
                        const std::vector<const google::protobuf::Message*>& details) {
  google::rpc::Status rich;
  rich.set_code(static_cast<int>(code));
  rich.set_message(message);
  for (const google::protobuf::Message* detail : details) rich.add_details()->PackFrom(*detail);
  return grpc::Status(code, message, rich.SerializeAsString());
}

TEST(RpcErrorsTest, ReasonMetadataAndFieldViolations) {
  google::rpc::ErrorInfo info;
  info.set_reason("INVALID_PAGE_SIZE");
  info.set_domain("licensing.v1");
  (*info.mutable_metadata())["page_size"] = "-1";
  (*info.mutable_metadata())["maximum"] = "1000";
  google::rpc::BadRequest bad_request;
  auto* size = bad_request.add_field_violations();
  size->set_field("page_size");
  size->set_description("must not be negative");
  auto* token = bad_request.add_field_violations();
  token->set_field("page_token");
  token->set_description("not from this listing");
  const grpc::Status status = RichStatus(grpc::StatusCode::INVALID_ARGUMENT,
                                         "page_size must not be negative", {&info, &bad_request});

  const RpcErrorDetails details = DecodeErrorDetails(status);
  EXPECT_EQ(details.reason, "INVALID_PAGE_SIZE");
  EXPECT_THAT(details.metadata, ElementsAre(Pair("maximum", "1000"), Pair("page_size", "-1")));
  EXPECT_THAT(details.field_violations,
              ElementsAre(Pair("page_size", "must not be negative"),
                          Pair("page_token", "not from this listing")));

  EXPECT_EQ(DescribeRpcError(status),
            "error: INVALID_ARGUMENT: page_size must not be negative\n"
            "  reason: INVALID_PAGE_SIZE\n"
            "  maximum: 1000\n"
            "  page_size: -1\n"
            "  field page_size: must not be negative\n"
            "  field page_token: not from this listing\n");
}

TEST(RpcErrorsTest, WithoutDetailsCodeAndMessageRemain) {
  EXPECT_EQ(DescribeRpcError(grpc::Status(grpc::StatusCode::NOT_FOUND, "no license 42")),
            "error: NOT_FOUND: no license 42\n");
  EXPECT_EQ(DescribeRpcError(grpc::Status(grpc::StatusCode::INTERNAL, "")), "error: INTERNAL\n");
}

TEST(RpcErrorsTest, UndecodableDetailsAreIgnored) {
  const grpc::Status status(grpc::StatusCode::UNKNOWN, "boom", "\xff\xff not a proto");
  EXPECT_THAT(DecodeErrorDetails(status).reason, IsEmpty());
  EXPECT_EQ(DescribeRpcError(status), "error: UNKNOWN: boom\n");
}

TEST(RpcErrorsTest, HintsPointAtTheInvocation) {
  ConnectionOptions connection;
  connection.address = "127.0.0.1:1";
  connection.timeout = absl::Seconds(30);

  EXPECT_EQ(RpcErrorHint(grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused"), connection),
            "  hint: is license-server running at 127.0.0.1:1? (--address HOST:PORT or "
            "LICENSECTL_ADDRESS)\n");
  EXPECT_EQ(RpcErrorHint(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, ""), connection),
            "  hint: no answer within 30s; --timeout SECONDS waits longer\n");
  EXPECT_EQ(RpcErrorHint(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, ""), connection),
            "  hint: no token was sent: --token-file FILE or --token TOKEN (or LICENSECTL_TOKEN_FILE, "
            "LICENSECTL_TOKEN)\n");

  // The server answered (KA is down): nothing about the address.
  google::rpc::ErrorInfo info;
  info.set_reason("KEY_ADMINISTRATOR_UNAVAILABLE");
  EXPECT_EQ(RpcErrorHint(RichStatus(grpc::StatusCode::UNAVAILABLE, "KA down", {&info}), connection), "");
  EXPECT_EQ(RpcErrorHint(grpc::Status(grpc::StatusCode::NOT_FOUND, ""), connection), "");
}

}  // namespace
}  // namespace licensectl
