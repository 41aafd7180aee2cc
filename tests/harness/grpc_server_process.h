// GrpcServerProcess: one of our gRPC programs (ka-mock, license-server)
// running as a child process on a free loopback port, ready to be called.
//
// The programs share a small contract that makes this possible without
// guessing ports or sleeping:
//  - `--listen HOST:PORT` chooses the address; port 0 lets the kernel pick
//    a free port, so parallel tests never collide;
//  - `--port_file PATH` makes the program write the port it bound, as text,
//    to PATH once it listens (atomically, by rename, so a reader never sees
//    half a number);
//  - the standard health service (grpc.health.v1.Health) answers SERVING
//    for service "" once the program is ready for calls.
//
// Start() uses port 0 and reads the port file; Restart() asks for the same
// port explicitly, so the addresses that clients and other servers were given
// stay valid across a crash and restart.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/security/credentials.h"
#include "tests/harness/exit_status.h"
#include "tests/harness/health_check.h"
#include "tests/harness/process.h"
#include "tests/harness/temp_dir.h"

namespace lss::harness {

struct GrpcServerOptions {
  // Every member has a default initializer: designated initializers that
  // name only some members then compile cleanly under -Wextra.

  // The program: a path, or a bare name looked up by FindExecutable().
  std::string binary = {};
  // Names the files "<name>.log" and "<name>.port"; defaults to the binary's
  // file name. Give two servers of one binary in one folder distinct names.
  std::string name = {};
  // Arguments besides --listen and --port_file, which the harness adds.
  std::vector<std::string> args = {};
  // Set in the program's environment, over the test's own.
  std::vector<std::pair<std::string, std::string>> env = {};
  // An existing folder for the log and port files. Empty: the server gets a
  // temporary folder of its own, removed with it.
  std::string work_dir = {};
  // How long Start() and Restart() wait for the port file and SERVING.
  absl::Duration startup_timeout = absl::Seconds(30);
  // How NewChannel() (and so the readiness check) reaches a server that
  // speaks TLS, e.g. TlsChannelCredentials() (tls_credentials.h); with a
  // client certificate for mutual TLS. Null: plaintext.
  std::shared_ptr<grpc::ChannelCredentials> channel_credentials = {};
};

// Not thread-safe: drive it from the test's thread. The channels it hands
// out are ordinary gRPC channels, safe to use from any thread.
class GrpcServerProcess {
 public:
  // Starts the program on 127.0.0.1:0 and returns once it serves. On failure
  // the error carries the end of the program's log.
  static absl::StatusOr<std::unique_ptr<GrpcServerProcess>> Start(
      GrpcServerOptions options);

  GrpcServerProcess(const GrpcServerProcess&) = delete;
  GrpcServerProcess& operator=(const GrpcServerProcess&) = delete;
  // Kills the program; prints the end of its log if the current test failed.
  virtual ~GrpcServerProcess();

  int port() const { return port_; }
  // "127.0.0.1:PORT", the same across restarts.
  std::string address() const;

  // A new channel with a connection of its own: channels created with equal
  // arguments otherwise share connections through gRPC's global subchannel
  // pool, and a test that freezes the server wants each probe to be
  // independent. Reconnection backoff is capped at 1 s so that a channel
  // recovers promptly after Restart(). With the options' credentials.
  std::shared_ptr<grpc::Channel> NewChannel() const;
  // The same over other credentials, e.g. a client that trusts another CA.
  std::shared_ptr<grpc::Channel> NewChannel(
      std::shared_ptr<grpc::ChannelCredentials> credentials) const;

  // CheckHealth() over a new channel: the answer reflects the server now,
  // not a connection left over from before a freeze or a kill.
  absl::StatusOr<ServingStatus> CheckHealth(
      absl::Duration timeout, absl::string_view service = "") const;

  // Waits until the health service answers SERVING for "". Fails at once,
  // with the log's end, if the program exits meanwhile.
  absl::Status WaitUntilServing(absl::Duration timeout);

  // The process controls; see ChildProcess.
  ExitStatus Kill() { return process_->Kill(); }
  void Freeze() { process_->Freeze(); }
  void Thaw() { process_->Thaw(); }
  ExitStatus Stop(absl::Duration grace = absl::Seconds(10)) {
    return process_->Stop(grace);
  }
  bool IsRunning() { return process_->IsRunning(); }
  pid_t pid() const { return process_->pid(); }
  std::string LogTail(int lines) const { return process_->LogTail(lines); }

  // Kills the program if it runs, starts it again on the same port and
  // waits until it serves.
  absl::Status Restart();

  const std::string& work_dir() const { return work_dir_; }
  ChildProcess& process() { return *process_; }

 protected:
  // For KaMockProcess and the like: construct, then call Launch(0).
  explicit GrpcServerProcess(GrpcServerOptions options);

  // Starts the program on `port` (0: any), waits for its port file and for
  // SERVING. The error says what went wrong and ends with the log's tail.
  absl::Status Launch(int port);

 private:
  // Polls the port file until it holds a number or the program exits.
  absl::StatusOr<int> WaitForPortFile(absl::Duration timeout);
  // `status` with the end of the log appended, for start-up failures.
  absl::Status WithLogTail(const absl::Status& status) const;

  GrpcServerOptions options_;
  std::optional<TempDir> own_dir_;  // set when options_.work_dir was empty
  std::string work_dir_;
  std::string port_file_;
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
};

}  // namespace lss::harness
