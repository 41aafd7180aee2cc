// fake-health-server: the smallest program that keeps the contract of our
// gRPC programs (--listen, --port_file, the health service, clean exit on
// SIGTERM), and nothing else.
//
// The harness's own tests run it so that GrpcServerProcess is proven on a
// known-good program, independently of ka-mock and license-server (which
// have their own tests, and bugs, and may not be built yet).
//
// SIGUSR1 makes the health service answer NOT_SERVING and SIGUSR2 SERVING
// again, so a test can show that the harness waits for SERVING rather than
// for an open port.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:0", "HOST:PORT to listen on");
ABSL_FLAG(std::string, port_file, "",
          "where to write the bound port once listening");

namespace {

// Writes `port` to `path` by rename, so that readers never see a partial
// file.
bool WritePortFile(const std::string& path, int port) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary);
    out << port << "\n";
    if (!out.flush()) return false;
  }
  return std::rename(temporary.c_str(), path.c_str()) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);

  // Block the signals we handle before gRPC starts its threads (they inherit
  // the mask), so that only sigwait() below receives them.
  sigset_t handled;
  sigemptyset(&handled);
  for (int sig : {SIGTERM, SIGINT, SIGUSR1, SIGUSR2}) sigaddset(&handled, sig);
  pthread_sigmask(SIG_BLOCK, &handled, nullptr);

  grpc::EnableDefaultHealthCheckService(true);
  // Reflection, as our servers serve it; it is also the one service that
  // gives the server a method of its own (a server with none refuses to
  // start).
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(absl::GetFlag(FLAGS_listen),
                           grpc::InsecureServerCredentials(), &port);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    fprintf(stderr, "cannot listen on %s\n",
            absl::GetFlag(FLAGS_listen).c_str());
    return 1;
  }
  const std::string port_file = absl::GetFlag(FLAGS_port_file);
  if (!port_file.empty() && !WritePortFile(port_file, port)) {
    fprintf(stderr, "cannot write %s\n", port_file.c_str());
    return 1;
  }
  fprintf(stderr, "serving on port %d\n", port);

  int received = 0;
  while (sigwait(&handled, &received) == 0 &&
         (received == SIGUSR1 || received == SIGUSR2)) {
    const bool serving = received == SIGUSR2;
    server->GetHealthCheckService()->SetServingStatus(serving);
    fprintf(stderr, "now %s\n", serving ? "SERVING" : "NOT_SERVING");
  }
  fprintf(stderr, "signal %d: shutting down\n", received);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  return 0;
}
