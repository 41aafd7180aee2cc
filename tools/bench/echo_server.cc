#include "bench/echo_server.h"

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <memory>

#include "absl/strings/str_cat.h"
#include "bench/text_file.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "licensing/v1/license_service.grpc.pb.h"

namespace lss::bench {
namespace {

class CannedLicenseService final : public licensing::v1::LicenseService::CallbackService {
 public:
  explicit CannedLicenseService(licensing::v1::GetLicenseResponse canned) : canned_(std::move(canned)) {}

  grpc::ServerUnaryReactor* GetLicense(grpc::CallbackServerContext* context,
                                       const licensing::v1::GetLicenseRequest* /*request*/,
                                       licensing::v1::GetLicenseResponse* response) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    *response = canned_;
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

 private:
  const licensing::v1::GetLicenseResponse canned_;
};

}  // namespace

int RunEchoServer(const std::string& listen, const std::string& port_file, const std::string& response_file) {
  // Only sigwait() below receives the stop signals: block them before gRPC
  // starts its threads, which inherit the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  licensing::v1::GetLicenseResponse canned;
  absl::StatusOr<std::string> bytes = ReadWholeFile(response_file);
  if (!bytes.ok() || !canned.ParseFromString(*bytes)) {
    std::fprintf(stderr, "echo server: cannot read a GetLicenseResponse from %s\n", response_file.c_str());
    return 1;
  }
  CannedLicenseService service(std::move(canned));

  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "echo server: cannot listen on %s\n", listen.c_str());
    return 1;
  }
  // The harness polls the port file: it must never see half a number.
  if (!port_file.empty() && !WriteFileAtomically(port_file, absl::StrCat(port, "\n")).ok()) {
    std::fprintf(stderr, "echo server: cannot write %s\n", port_file.c_str());
    return 1;
  }
  std::fprintf(stderr, "echo server listening on port %d\n", port);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  return 0;
}

}  // namespace lss::bench
