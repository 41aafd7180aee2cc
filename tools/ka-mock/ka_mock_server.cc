#include "ka-mock/ka_mock_server.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/support/channel_arguments.h"

namespace ka_mock {

KaMockServer::KaMockServer(KaMockOptions options)
    : catalogue_(Catalogue::Default()),
      clock_(*options.clock),
      store_(catalogue_),
      administrator_(store_, clock_),
      key_administrator_service_(administrator_, catalogue_,
                                 std::move(options.credentials), faults_,
                                 calls_, delays_),
      admin_service_(store_, catalogue_, clock_, faults_, calls_) {}

KaMockServer::~KaMockServer() { Shutdown(absl::ZeroDuration()); }

absl::Status KaMockServer::Start(
    const std::string& address,
    std::shared_ptr<grpc::ServerCredentials> credentials) {
  // Both are process-wide switches read when the builder builds.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  if (credentials == nullptr) credentials = grpc::InsecureServerCredentials();
  builder.AddListeningPort(address, std::move(credentials), &port_);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.RegisterService(&key_administrator_service_);
  builder.RegisterService(&admin_service_);
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    server_.reset();
    return absl::UnavailableError(absl::StrCat("cannot listen on ", address));
  }
  return absl::OkStatus();
}

void KaMockServer::Shutdown(absl::Duration grace) {
  // First, so that no reactor still waits on the queue: grpc::Server's
  // Shutdown waits for every call to finish.
  delays_.Shutdown();
  if (server_ == nullptr) return;
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  server_->Wait();
  server_.reset();
}

}  // namespace ka_mock
