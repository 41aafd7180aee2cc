#include "bench/unary_callers.h"

#include <chrono>
#include <utility>

#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace lss::bench {
namespace {

using licensing::v1::GetLicenseRequest;
using licensing::v1::GetLicenseResponse;
using licensing::v1::LicenseService;
using licensing::v1::SyncLicenseRequest;
using licensing::v1::SyncLicenseResponse;

// A stuck call fails the measurement rather than hanging it.
constexpr auto kCallDeadline = std::chrono::seconds(30);

// What one call owns until its callback has run.
template <typename Request, typename Response>
struct InFlight {
  grpc::ClientContext context;
  Request request;
  Response response;
  absl::AnyInvocable<void(const grpc::Status&) &&> done;
};

class LicenseServiceCaller final : public UnaryCaller {
 public:
  LicenseServiceCaller(const std::string& target, UnaryMethod method, std::vector<int64_t> license_ids, int connections)
      : method_(method), licenses_(std::move(license_ids)) {
    for (int i = 0; i < connections; ++i) stubs_.push_back(LicenseService::NewStub(NewDedicatedChannel(target)));
  }

  void Call(int client, absl::AnyInvocable<void(const grpc::Status&) &&> done) override {
    const int64_t license_id = licenses_.Next(client);
    LicenseService::Stub& stub = *stubs_[static_cast<size_t>(client) % stubs_.size()];
    if (method_ == UnaryMethod::kGetLicense) {
      auto* call = Prepare<GetLicenseRequest, GetLicenseResponse>(std::move(done));
      call->request.set_license_id(license_id);
      stub.async()->GetLicense(&call->context, &call->request, &call->response, Finisher(call));
    } else {
      auto* call = Prepare<SyncLicenseRequest, SyncLicenseResponse>(std::move(done));
      call->request.set_license_id(license_id);
      stub.async()->SyncLicense(&call->context, &call->request, &call->response, Finisher(call));
    }
  }

 private:
  template <typename Request, typename Response>
  static InFlight<Request, Response>* Prepare(absl::AnyInvocable<void(const grpc::Status&) &&> done) {
    auto* call = new InFlight<Request, Response>;
    call->context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
    call->done = std::move(done);
    return call;
  }

  // The callback frees the call before handing on its status, since `done`
  // may start the next one.
  template <typename Request, typename Response>
  static std::function<void(grpc::Status)> Finisher(InFlight<Request, Response>* call) {
    return [call](grpc::Status status) {
      auto done = std::move(call->done);
      delete call;
      std::move(done)(status);
    };
  }

  const UnaryMethod method_;
  LicenseCycle licenses_;
  std::vector<std::unique_ptr<LicenseService::Stub>> stubs_;
};

}  // namespace

int64_t LicenseCycle::Next(int client) {
  const uint64_t n = next_.fetch_add(1, std::memory_order_relaxed);
  const uint64_t index = (n * 7919 + static_cast<uint64_t>(client) * 104729) % license_ids_.size();
  return license_ids_[index];
}

std::shared_ptr<grpc::Channel> NewDedicatedChannel(const std::string& target) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
}

std::unique_ptr<UnaryCaller> NewLicenseServiceCaller(const std::string& target, UnaryMethod method,
                                                     std::vector<int64_t> license_ids, int connections) {
  return std::make_unique<LicenseServiceCaller>(target, method, std::move(license_ids), connections);
}

}  // namespace lss::bench
