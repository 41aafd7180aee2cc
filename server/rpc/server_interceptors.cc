#include "server/rpc/server_interceptors.h"

#include <atomic>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"
#include "server/rpc/grpc_status.h"

namespace lss {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::Interceptor;
using grpc::experimental::InterceptorBatchMethods;
using grpc::experimental::ServerInterceptorFactoryInterface;
using grpc::experimental::ServerRpcInfo;

// Full method names are "/licensing.v1.LicenseService/<Method>".
constexpr absl::string_view kServicePrefix = "/licensing.v1.LicenseService/";

// "licensing.v1.GetLicenseRequest" for "/licensing.v1.LicenseService/GetLicense"
// (buf lint STANDARD: every request message is named <Method>Request).
std::string RequestTypeOf(absl::string_view method) {
  if (!absl::StartsWith(method, kServicePrefix)) return "request message";
  return absl::StrCat("licensing.v1.", method.substr(kServicePrefix.size()), "Request");
}

class StatusInterceptor final : public Interceptor {
 public:
  explicit StatusInterceptor(std::string method) : method_(std::move(method)) {}

  void Intercept(InterceptorBatchMethods* methods) override {
    // The server's callback API deserializes the request before this hook
    // and hands interceptors a null message when that failed; the handler
    // is then never called.
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      request_unparsed_.store(true, std::memory_order_relaxed);
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status finished = methods->GetSendStatus();
      if (!finished.ok() || request_unparsed_.load(std::memory_order_relaxed)) {
        methods->ModifySendStatus(
            StatusToSend(finished, request_unparsed_.load(std::memory_order_relaxed), method_));
      }
    }
    methods->Proceed();
  }

 private:
  const std::string method_;
  // Set at POST_RECV_MESSAGE, read at PRE_SEND_STATUS; gRPC orders the two,
  // the atomic only spares a reader the question.
  std::atomic<bool> request_unparsed_{false};
};

class StatusInterceptorFactory final : public ServerInterceptorFactoryInterface {
 public:
  Interceptor* CreateServerInterceptor(ServerRpcInfo* info) override {
    const char* method = info->method();
    if (method == nullptr || !absl::StartsWith(method, kServicePrefix)) return nullptr;
    return new StatusInterceptor(method);
  }
};

}  // namespace

grpc::Status MalformedRequestStatus(absl::string_view method) {
  return ToGrpcStatus(InvalidArgumentError(
      kMalformedRequestField,
      absl::StrCat("is not a valid ", RequestTypeOf(method),
                   ": gRPC could not read one from the call (no message, another message, truncated or corrupt "
                   "bytes, or a string field that is not UTF-8)"),
      kReasonMalformedRequest));
}

grpc::Status StatusToSend(const grpc::Status& finished, bool request_unparsed, absl::string_view method) {
  if (request_unparsed) return MalformedRequestStatus(method);
  if (finished.ok() || !finished.error_details().empty()) return finished;
  return ToGrpcStatus(
      absl::Status(static_cast<absl::StatusCode>(finished.error_code()), finished.error_message()));
}

std::vector<std::unique_ptr<ServerInterceptorFactoryInterface>> ServerInterceptors() {
  std::vector<std::unique_ptr<ServerInterceptorFactoryInterface>> factories;
  factories.push_back(std::make_unique<StatusInterceptorFactory>());
  return factories;
}

}  // namespace lss
