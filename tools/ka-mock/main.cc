// ka-mock: a stand-in for the Key Administrator (keyadmin.v1) for tests,
// demos and benchmarks. Runs until SIGTERM or SIGINT.
#include <pthread.h>
#include <signal.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "ka-mock/credentials.h"
#include "ka-mock/ka_mock_server.h"
#include "ka-mock/port_file.h"
#include "ka-mock/seeder.h"
#include "ka-mock/tls_credentials.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50052",
          "HOST:PORT to listen on; port 0 picks one");
ABSL_FLAG(std::string, port_file, "",
          "once listening, write the bound port to this file (atomically)");
ABSL_FLAG(int64_t, seed_keys, 0, "seed this many main keys before listening");
ABSL_FLAG(uint64_t, seed, 1, "seed of the key generator for --seed_keys");
ABSL_FLAG(std::string, login, "billing",
          "the partner login callers must send as ka-login");
ABSL_FLAG(std::string, password_file, "",
          "file whose first line is the partner password; without it, "
          "$KA_MOCK_PASSWORD, else \"billing-secret\" (for demos)");
ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM certificate chain; with --tls_key_file, serve TLS only");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key of --tls_cert_file");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "PEM CA bundle: mutual TLS, callers must present a certificate "
          "signed by one of these CAs");

namespace {

// Calls in flight get this long to finish once a signal asks to stop.
constexpr absl::Duration kShutdownGrace = absl::Seconds(5);

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "ka-mock: %s\n", status.ToString().c_str());
  return 1;
}

std::string HostOf(const std::string& address) {
  return address.substr(0, address.rfind(':'));
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Mock Key Administrator (keyadmin.v1) for tests and demos.");
  absl::ParseCommandLine(argc, argv);
  // Debian's Abseil keeps deadlock detection on: every absl::Mutex that gRPC
  // creates and destroys per call then goes through one global lock and
  // graph, a cost the serving mock does not need (the tests keep the check).
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  absl::StatusOr<std::string> password =
      ka_mock::LoadPassword(absl::GetFlag(FLAGS_password_file));
  if (!password.ok()) return Fail(password.status());
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      ka_mock::MakeServerCredentials(
          {.cert_file = absl::GetFlag(FLAGS_tls_cert_file),
           .key_file = absl::GetFlag(FLAGS_tls_key_file),
           .client_ca_file = absl::GetFlag(FLAGS_tls_client_ca_file)});
  if (!credentials.ok()) return Fail(credentials.status());

  // Blocked before any thread exists (gRPC's included), so every thread
  // inherits the mask and only the sigwait below ever takes these signals.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  ka_mock::KaMockServer mock(
      {.credentials = {absl::GetFlag(FLAGS_login), *std::move(password)}});
  if (const int64_t count = absl::GetFlag(FLAGS_seed_keys); count > 0) {
    const absl::StatusOr<ka_mock::SeedOutcome> seeded =
        ka_mock::SeedKeys(mock.store(), mock.clock(),
                          {.count = count, .seed = absl::GetFlag(FLAGS_seed)});
    if (!seeded.ok()) return Fail(seeded.status());
    std::fprintf(stderr, "ka-mock seeded %lld keys (%lld additional)\n",
                 static_cast<long long>(seeded->total_keys),
                 static_cast<long long>(seeded->additional_keys_created));
  }

  const std::string listen = absl::GetFlag(FLAGS_listen);
  if (absl::Status started = mock.Start(listen, *std::move(credentials));
      !started.ok()) {
    return Fail(started);
  }
  if (const std::string port_file = absl::GetFlag(FLAGS_port_file);
      !port_file.empty()) {
    if (absl::Status written = ka_mock::WritePortFile(port_file, mock.port());
        !written.ok()) {
      return Fail(written);
    }
  }
  const bool tls = !absl::GetFlag(FLAGS_tls_cert_file).empty();
  const bool mtls = !absl::GetFlag(FLAGS_tls_client_ca_file).empty();
  std::fprintf(stderr, "ka-mock listening on %s:%d%s\n", HostOf(listen).c_str(),
               mock.port(), mtls ? " with mTLS" : tls ? " with TLS" : "");

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::fprintf(stderr, "ka-mock stopping (signal %d)\n", signal_number);
  mock.Shutdown(kShutdownGrace);
  return 0;
}
