#include "server/rpc/server_interceptors.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/status/error_details.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "licensing/v1/license_service.grpc.pb.h"
#include "server/rpc/grpc_status.h"

namespace lss {
namespace {

constexpr char kGetLicense[] = "/licensing.v1.LicenseService/GetLicense";

struct Details {
  bool parsed = false;
  std::string reason;
  std::string domain;
  std::vector<std::string> fields;
};

Details DetailsOf(const grpc::Status& status) {
  Details out;
  google::rpc::Status proto;
  if (status.error_details().empty() || !proto.ParseFromString(status.error_details())) return out;
  out.parsed = true;
  for (const auto& detail : proto.details()) {
    google::rpc::ErrorInfo info;
    google::rpc::BadRequest bad_request;
    if (detail.Is<google::rpc::ErrorInfo>() && detail.UnpackTo(&info)) {
      out.reason = info.reason();
      out.domain = info.domain();
    }
    if (detail.Is<google::rpc::BadRequest>() && detail.UnpackTo(&bad_request)) {
      for (const auto& v : bad_request.field_violations()) out.fields.push_back(v.field());
    }
  }
  return out;
}

TEST(StatusToSendTest, AnUnparsedRequestIsInvalidArgumentNamingTheRequest) {
  const grpc::Status gRPCs_own(grpc::StatusCode::UNIMPLEMENTED, "");
  const grpc::Status sent = StatusToSend(gRPCs_own, /*request_unparsed=*/true, kGetLicense);
  EXPECT_EQ(sent.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(sent.error_message().find("licensing.v1.GetLicenseRequest"), std::string::npos)
      << sent.error_message();
  const Details details = DetailsOf(sent);
  EXPECT_EQ(details.reason, kReasonMalformedRequest);
  EXPECT_EQ(details.domain, kErrorDomain);
  EXPECT_EQ(details.fields, std::vector<std::string>{std::string(kMalformedRequestField)});
}

TEST(StatusToSendTest, AnErrorWithoutDetailsGetsAReasonFromItsCode) {
  const grpc::Status sent =
      StatusToSend(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "not yet"), false, kGetLicense);
  EXPECT_EQ(sent.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(sent.error_message(), "not yet");
  EXPECT_EQ(DetailsOf(sent).reason, "UNIMPLEMENTED");
}

TEST(StatusToSendTest, AnErrorWithDetailsAndOkPassUnchanged) {
  const grpc::Status ours = ToGrpcStatus(InvalidArgumentError("page_size", "must not be negative"));
  const grpc::Status sent = StatusToSend(ours, false, kGetLicense);
  EXPECT_EQ(sent.error_code(), ours.error_code());
  EXPECT_EQ(sent.error_message(), ours.error_message());
  EXPECT_EQ(sent.error_details(), ours.error_details());
  EXPECT_TRUE(StatusToSend(grpc::Status::OK, false, kGetLicense).ok());
}

// The interceptor in a real server: a LicenseService whose every method is
// gRPC's default (UNIMPLEMENTED), over loopback, called with raw bytes.
class ServerInterceptorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service_);
    builder.experimental().SetInterceptorCreators(ServerInterceptors());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  // A unary call of `method` whose request body is exactly `bytes`.
  grpc::Status CallRaw(const std::string& method, const std::string& bytes) {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    grpc::CompletionQueue cq;
    std::unique_ptr<grpc::GenericClientAsyncResponseReader> call =
        stub.PrepareUnaryCall(&context, method, request, &cq);
    call->StartCall();
    grpc::Status status;
    call->Finish(&response, &status, reinterpret_cast<void*>(1));
    void* tag = nullptr;
    bool ok = false;
    EXPECT_TRUE(cq.Next(&tag, &ok));
    cq.Shutdown();
    while (cq.Next(&tag, &ok)) {
    }
    return status;
  }

  licensing::v1::LicenseService::CallbackService service_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(ServerInterceptorsTest, BytesThatDoNotParseAreMalformedRequestOnUnaryAndStreamingMethods) {
  // Field 1 (license_id, a varint) announced as a length-delimited field
  // longer than the message: no parser accepts it.
  const std::string garbage("\x0a\x7f\x01", 3);
  for (const std::string& method : {std::string(kGetLicense), std::string("/licensing.v1.LicenseService/SyncAll")}) {
    const grpc::Status status = CallRaw(method, garbage);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << method << ": " << status.error_message();
    const Details details = DetailsOf(status);
    EXPECT_EQ(details.reason, kReasonMalformedRequest) << method;
    EXPECT_EQ(details.fields, std::vector<std::string>{std::string(kMalformedRequestField)}) << method;
  }
}

TEST_F(ServerInterceptorsTest, AParsedRequestReachesTheHandlerAndItsBareErrorGetsAReason) {
  licensing::v1::GetLicenseRequest request;
  request.set_license_id(7);
  const grpc::Status status = CallRaw(kGetLicense, request.SerializeAsString());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(DetailsOf(status).reason, "UNIMPLEMENTED");
}

TEST_F(ServerInterceptorsTest, OtherServicesAreLeftAlone) {
  // The health service answers an unparsable request as gRPC's own code
  // does, without details of ours.
  const grpc::Status status = CallRaw("/grpc.health.v1.Health/Check", std::string("\x0a\x7f\x01", 3));
  EXPECT_FALSE(status.ok());
  EXPECT_FALSE(DetailsOf(status).parsed) << status.error_message();
}

}  // namespace
}  // namespace lss
