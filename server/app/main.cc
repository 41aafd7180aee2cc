// license-server: the LicenseService.
//
// Serves gRPC health and reflection so that operators' `buf curl`/`grpcurl`
// and load balancers work out of the box. Shuts down cleanly on SIGTERM or
// SIGINT: in-flight calls get a grace period, then the process exits 0.
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "server/app/flag_spelling.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051", "HOST:PORT to serve gRPC on (port 0: any free port)");
ABSL_FLAG(std::string, port_file, "",
          "After binding, write the bound port to this file (for tests that listen on port 0)");
ABSL_FLAG(std::string, db, "sqlite:license-sync.db",
          "Database: sqlite:PATH (embedded default) or mysql://USER@HOST:PORT/DB "
          "(password from LSS_DB_PASSWORD or --db-password-file)");
ABSL_FLAG(std::string, ka_address, "127.0.0.1:50052", "HOST:PORT of the Key Administrator");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(5),
          "How long in-flight calls may run on after SIGTERM");

namespace {

// Written to a temporary name then renamed, so a reader never sees a partial
// port number.
bool WritePortFile(const std::string& path, int port) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << port << "\n";
    if (!out.good()) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

int Run() {
  // Block the stop signals before gRPC starts its threads (they inherit the
  // mask), so that only sigwait() below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(absl::GetFlag(FLAGS_listen), grpc::InsecureServerCredentials(), &port);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "license-server: cannot listen on %s\n", absl::GetFlag(FLAGS_listen).c_str());
    return 1;
  }
  const std::string port_file = absl::GetFlag(FLAGS_port_file);
  if (!port_file.empty() && !WritePortFile(port_file, port)) {
    std::fprintf(stderr, "license-server: cannot write port file %s\n", port_file.c_str());
    return 1;
  }
  std::fprintf(stderr, "license-server listening on port %d\n", port);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::fprintf(stderr, "license-server: signal %d, shutting down\n", signal_number);
  server->Shutdown(std::chrono::system_clock::now() +
                   absl::ToChronoSeconds(absl::GetFlag(FLAGS_shutdown_grace)));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("The License Sync Service: keeps billing's licenses in sync with the Key Administrator.");
  std::vector<std::string> args = lss::NormalizeFlagSpelling(argc, argv);
  std::vector<char*> arg_ptrs;
  for (std::string& a : args) arg_ptrs.push_back(a.data());
  absl::ParseCommandLine(static_cast<int>(arg_ptrs.size()), arg_ptrs.data());
  return Run();
}
