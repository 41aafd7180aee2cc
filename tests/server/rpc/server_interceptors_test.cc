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
#include "absl/synchronization/mutex.h"
#include "server/rpc/call_request_id.h"
#include "server/rpc/grpc_status.h"
#include "storage/license_repository.h"

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

// The driver's text names tables, keys and server versions: it goes to the
// log under the call's request id, never to the caller.
TEST(WithoutDatabaseTextTest, ADatabaseFailureKeepsItsCodeAndReasonButNotTheDriversText) {
  for (const absl::string_view reason : {kReasonDatabaseError, kReasonDatabaseUnavailable}) {
    const grpc::Status failed = ToGrpcStatus(WithMetadata(
        WithReason(absl::InternalError("record sync: Duplicate entry '7' for key 'licenses.PRIMARY'"), reason),
        "license_id", "7"));
    testing::internal::CaptureStderr();
    const grpc::Status sent = WithoutDatabaseText(failed, kGetLicense, "req-42");
    const std::string log = testing::internal::GetCapturedStderr();
    EXPECT_EQ(sent.error_code(), failed.error_code());
    EXPECT_EQ(sent.error_message().find("Duplicate"), std::string::npos) << sent.error_message();
    EXPECT_NE(sent.error_message().find("req-42"), std::string::npos) << sent.error_message();
    EXPECT_EQ(DetailsOf(sent).reason, reason);
    EXPECT_EQ(MetadataOf(FromGrpcStatus(sent), "license_id"), "7");
    google::rpc::Status proto;
    ASSERT_TRUE(proto.ParseFromString(sent.error_details()));
    EXPECT_EQ(proto.message(), sent.error_message());
    EXPECT_NE(log.find("\"event\":\"database_error\""), std::string::npos) << log;
    EXPECT_NE(log.find("\"method\":\"GetLicense\""), std::string::npos) << log;
    EXPECT_NE(log.find("\"request_id\":\"req-42\""), std::string::npos) << log;
    EXPECT_NE(log.find("Duplicate entry"), std::string::npos) << log;
  }
}

TEST(WithoutDatabaseTextTest, OtherErrorsPassUnchanged) {
  const grpc::Status not_found =
      ToGrpcStatus(WithReason(absl::NotFoundError("license 7 not found"), "LICENSE_NOT_FOUND"));
  const grpc::Status sent = WithoutDatabaseText(not_found, kGetLicense, "req-1");
  EXPECT_EQ(sent.error_message(), not_found.error_message());
  EXPECT_EQ(sent.error_details(), not_found.error_details());
}

TEST(StatusToSendTest, AnErrorWithDetailsAndOkPassUnchanged) {
  const grpc::Status ours = ToGrpcStatus(InvalidArgumentError("page_size", "must not be negative"));
  const grpc::Status sent = StatusToSend(ours, false, kGetLicense);
  EXPECT_EQ(sent.error_code(), ours.error_code());
  EXPECT_EQ(sent.error_message(), ours.error_message());
  EXPECT_EQ(sent.error_details(), ours.error_details());
  EXPECT_TRUE(StatusToSend(grpc::Status::OK, false, kGetLicense).ok());
}

// Remembers every finished call it hears of.
class RecordingObserver final : public CallObserver {
 public:
  struct Call {
    std::string method;
    grpc::StatusCode code;
    std::string reason;
    std::string request_id;
    std::string peer;
  };

  void OnCallFinished(const FinishedCall& call) override {
    absl::MutexLock lock(&mu_);
    calls_.push_back({std::string(call.method), call.code, std::string(call.reason), std::string(call.request_id),
                      std::string(call.peer)});
  }

  std::vector<Call> calls() {
    absl::MutexLock lock(&mu_);
    return calls_;
  }

 private:
  absl::Mutex mu_;
  std::vector<Call> calls_;
};

// GetLicense answers NOT_FOUND (a bare status, no details) with the request
// id it read from the metadata as the message, as a handler's AdmitCaller
// reads it; every other method is gRPC's default (UNIMPLEMENTED).
class EchoRequestIdService final : public licensing::v1::LicenseService::CallbackService {
  grpc::ServerUnaryReactor* GetLicense(grpc::CallbackServerContext* context, const licensing::v1::GetLicenseRequest*,
                                       licensing::v1::GetLicenseResponse*) override {
    std::string seen;
    const auto& metadata = context->client_metadata();
    auto it = metadata.find(std::string(kRequestIdMetadata));
    if (it != metadata.end()) seen.assign(it->second.data(), it->second.size());
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND, seen));
    return reactor;
  }
};

// The interceptor in a real server over loopback, called with raw bytes.
class ServerInterceptorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service_);
    builder.experimental().SetInterceptorCreators(ServerInterceptors({&observer_}));
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  // A unary call of `method` whose request body is exactly `bytes`, with
  // `request_id` as its x-request-id unless empty; the id the server sent
  // back goes to `returned_id`.
  grpc::Status CallRaw(const std::string& method, const std::string& bytes, const std::string& request_id = "",
                       std::string* returned_id = nullptr) {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext context;
    if (!request_id.empty()) context.AddMetadata(std::string(kRequestIdMetadata), request_id);
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
    if (returned_id != nullptr) {
      auto it = context.GetServerTrailingMetadata().find(std::string(kRequestIdMetadata));
      if (it != context.GetServerTrailingMetadata().end()) returned_id->assign(it->second.data(), it->second.size());
    }
    return status;
  }

  RecordingObserver observer_;
  EchoRequestIdService service_;
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
  licensing::v1::ListLicensesRequest request;
  request.set_page_size(7);
  const grpc::Status status = CallRaw("/licensing.v1.LicenseService/ListLicenses", request.SerializeAsString());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(DetailsOf(status).reason, "UNIMPLEMENTED");
}

// The handler, the trailing metadata and the observers see one request id:
// the caller's when acceptable, else one the server made.
TEST_F(ServerInterceptorsTest, EveryCallHasOneRequestIdThatTheHandlerTheCallerAndTheObserversShare) {
  licensing::v1::GetLicenseRequest request;
  request.set_license_id(7);
  struct Case {
    std::string sent;
    bool kept;
  };
  const std::vector<Case> cases = {{"", false},
                                   {"caller-7f3b", true},
                                   {"has space", false},
                                   {std::string(kMaxCallerRequestIdLength + 1, 'x'), false}};
  for (const Case& c : cases) {
    std::string returned;
    const grpc::Status status = CallRaw(kGetLicense, request.SerializeAsString(), c.sent, &returned);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << c.sent;
    EXPECT_EQ(status.error_message(), returned) << "the handler saw another id than the caller got back";
    if (c.kept) {
      EXPECT_EQ(returned, c.sent);
    } else {
      EXPECT_EQ(returned.size(), 16u) << returned;
      EXPECT_NE(returned, c.sent);
    }
    const std::vector<RecordingObserver::Call> calls = observer_.calls();
    ASSERT_FALSE(calls.empty());
    EXPECT_EQ(calls.back().request_id, returned);
    EXPECT_EQ(calls.back().method, "GetLicense");
    EXPECT_EQ(calls.back().code, grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(calls.back().reason, "NOT_FOUND");
    EXPECT_NE(calls.back().peer.find("127.0.0.1"), std::string::npos) << calls.back().peer;
  }
  EXPECT_EQ(observer_.calls().size(), cases.size());
}

TEST_F(ServerInterceptorsTest, AMalformedRequestIsObservedWithItsReason) {
  ASSERT_EQ(CallRaw(kGetLicense, std::string("\x0a\x7f\x01", 3)).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const std::vector<RecordingObserver::Call> calls = observer_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(calls[0].reason, kReasonMalformedRequest);
}

TEST_F(ServerInterceptorsTest, OtherServicesAreLeftAlone) {
  // The health service answers an unparsable request as gRPC's own code
  // does, without details of ours.
  const grpc::Status status = CallRaw("/grpc.health.v1.Health/Check", std::string("\x0a\x7f\x01", 3));
  EXPECT_FALSE(status.ok());
  EXPECT_FALSE(DetailsOf(status).parsed) << status.error_message();
  EXPECT_TRUE(observer_.calls().empty()) << "only LicenseService calls are observed";
}

}  // namespace
}  // namespace lss
