#include "server/rpc/server_interceptors.h"

#include <grpcpp/server_context.h>

#include <atomic>
#include <map>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/types/optional.h"
#include "common/log/structured_log.h"
#include "common/status/error_details.h"
#include "storage/license_repository.h"
#include "server/rpc/call_request_id.h"
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

// A header value gRPC hands us, as a string_view.
absl::string_view View(grpc::string_ref ref) { return absl::string_view(ref.data(), ref.size()); }

class CallInterceptor final : public Interceptor {
 public:
  CallInterceptor(ServerRpcInfo* info, const std::vector<CallObserver*>& observers)
      : info_(info), observers_(observers), method_(info->method()), arrived_(absl::Now()) {}

  void Intercept(InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      SettleRequestId(*methods->GetRecvInitialMetadata());
    }
    // The server's callback API deserializes the request before this hook
    // and hands interceptors a null message when that failed; the handler
    // is then never called.
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      request_unparsed_.store(true, std::memory_order_relaxed);
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status sent = methods->GetSendStatus();
      if (!sent.ok() || request_unparsed_.load(std::memory_order_relaxed)) {
        sent = StatusToSend(sent, request_unparsed_.load(std::memory_order_relaxed), method_);
        methods->ModifySendStatus(sent);
      }
      if (!sent.ok()) {
        grpc::Status scrubbed = WithoutDatabaseText(sent, method_, RequestId());
        if (scrubbed.error_message() != sent.error_message()) methods->ModifySendStatus(scrubbed);
      }
      methods->GetSendTrailingMetadata()->emplace(std::string(kRequestIdMetadata), RequestId());
      Notify(sent);
    }
    methods->Proceed();
  }

 private:
  // Keeps an acceptable id of the caller's; otherwise puts a new one in the
  // metadata, where AdmitCaller reads it. The map refers to request_id_,
  // which lives as long as the call.
  void SettleRequestId(std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
    const grpc::string_ref key(kRequestIdMetadata.data(), kRequestIdMetadata.size());
    auto sent = metadata.find(key);
    request_id_ =
        CallRequestId(sent == metadata.end() ? absl::nullopt : absl::make_optional(View(sent->second)));
    if (sent != metadata.end() && View(sent->second) == request_id_) return;
    metadata.erase(key);
    metadata.emplace(key, grpc::string_ref(request_id_));
  }

  // A request refused before its metadata was read (none today) still
  // gets an id in the log.
  const std::string& RequestId() {
    if (request_id_.empty()) request_id_ = CallRequestId(absl::nullopt);
    return request_id_;
  }

  void Notify(const grpc::Status& sent) {
    if (observers_.empty()) return;
    RequestId();
    const std::string reason = sent.ok() ? std::string() : ReasonOf(FromGrpcStatus(sent));
    const std::string peer = info_->server_context()->peer();
    const FinishedCall call{.method = absl::string_view(method_).substr(kServicePrefix.size()),
                            .code = sent.error_code(),
                            .reason = reason,
                            .elapsed = absl::Now() - arrived_,
                            .request_id = request_id_,
                            .peer = peer};
    for (CallObserver* observer : observers_) observer->OnCallFinished(call);
  }

  ServerRpcInfo* const info_;
  const std::vector<CallObserver*>& observers_;
  const std::string method_;
  const absl::Time arrived_;
  std::string request_id_;
  // Set at POST_RECV_MESSAGE, read at PRE_SEND_STATUS; gRPC orders the two,
  // the atomic only spares a reader the question.
  std::atomic<bool> request_unparsed_{false};
};

class CallInterceptorFactory final : public ServerInterceptorFactoryInterface {
 public:
  explicit CallInterceptorFactory(std::vector<CallObserver*> observers) : observers_(std::move(observers)) {}

  Interceptor* CreateServerInterceptor(ServerRpcInfo* info) override {
    const char* method = info->method();
    if (method == nullptr || !absl::StartsWith(method, kServicePrefix)) return nullptr;
    return new CallInterceptor(info, observers_);
  }

 private:
  const std::vector<CallObserver*> observers_;
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

grpc::Status WithoutDatabaseText(const grpc::Status& sent, absl::string_view method, absl::string_view request_id) {
  if (sent.ok()) return sent;
  absl::Status status = FromGrpcStatus(sent);
  const std::string reason = ReasonOf(status);
  if (reason != kReasonDatabaseError && reason != kReasonDatabaseUnavailable) return sent;
  LogEvent(LogLevel::kError, "database_error")
      .Field("method", absl::StartsWith(method, kServicePrefix) ? method.substr(kServicePrefix.size()) : method)
      .Field("request_id", request_id)
      .Field("code", absl::StatusCodeToString(status.code()))
      .Field("error", status.message());
  const std::string message =
      reason == kReasonDatabaseUnavailable
          ? absl::StrCat("the database is unavailable; retry later (request id ", request_id, ")")
          : absl::StrCat("the database could not complete the call; the server's log has the cause under request id ",
                         request_id);
  return ToGrpcStatus(WithMessage(status, message));
}

std::vector<std::unique_ptr<ServerInterceptorFactoryInterface>> ServerInterceptors(
    std::vector<CallObserver*> observers) {
  std::vector<std::unique_ptr<ServerInterceptorFactoryInterface>> factories;
  factories.push_back(std::make_unique<CallInterceptorFactory>(std::move(observers)));
  return factories;
}

}  // namespace lss
