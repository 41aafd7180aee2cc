// KaMockProcess: the mock Key Administrator (tools/ka-mock) as a child
// process, for tests that need a KA to talk to.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/harness/grpc_server_process.h"

namespace lss::harness {

// The account the mock accepts (KA login and password travel in call
// metadata). The login is fixed; the password comes from KaMockOptions.
inline constexpr char kKaMockLogin[] = "billing";
inline constexpr char kKaMockDefaultPassword[] = "billing-secret";

struct KaMockOptions {
  // Every member has a default initializer: designated initializers that
  // name only some members then compile cleanly under -Wextra.

  // --seed_keys N: the mock starts with N deterministic keys. 0: no flag.
  int seed_keys = 0;
  // Passed as KA_MOCK_PASSWORD.
  std::string password = kKaMockDefaultPassword;
  // Further flags and environment, passed through.
  std::vector<std::string> extra_args = {};
  std::vector<std::pair<std::string, std::string>> env = {};
  // See GrpcServerOptions.
  std::string work_dir = {};
  absl::Duration startup_timeout = absl::Seconds(30);
  // For a server started with TLS flags (in extra_args): how its
  // channels and readiness check connect. See GrpcServerOptions.
  std::shared_ptr<grpc::ChannelCredentials> channel_credentials = {};
};

// A GrpcServerProcess running the ka-mock built with this tree; all process
// controls (Freeze, Kill, Restart, ...) are inherited. Not thread-safe.
class KaMockProcess : public GrpcServerProcess {
 public:
  // Starts ka-mock and waits until it serves. FailedPreconditionError if the
  // build has no ka-mock (the CMake target did not exist at configure time).
  static absl::StatusOr<std::unique_ptr<KaMockProcess>> Start(
      KaMockOptions options = {});

  // The credentials a KA client must send to this mock.
  std::string login() const { return kKaMockLogin; }
  const std::string& password() const { return password_; }

 private:
  KaMockProcess(GrpcServerOptions server_options, std::string password)
      : GrpcServerProcess(std::move(server_options)),
        password_(std::move(password)) {}

  std::string password_;
};

}  // namespace lss::harness
