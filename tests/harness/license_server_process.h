// LicenseServerProcess: the license-server (server/) as a child process, for
// end-to-end tests over real gRPC.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/harness/grpc_server_process.h"
#include "tests/harness/ka_mock_process.h"

namespace lss::harness {

struct LicenseServerOptions {
  // Every member has a default initializer: designated initializers that
  // name only some members then compile cleanly under -Wextra.

  // --db: "sqlite:///<path>" or a MariaDB DSN such as MariaDbProcess::Dsn()
  // or TestDatabase::Dsn(). Empty: no flag (the server's embedded default).
  std::string db = {};
  // The database password, exported as LSS_DB_PASSWORD when non-empty: it
  // never appears in the DSN or on the command line.
  std::string db_password = {};
  // --ka-address HOST:PORT, typically KaMockProcess::address(). Empty: no
  // flag.
  std::string ka_address = {};
  // The KA account the server logs in with, exported as KA_LOGIN and
  // KA_PASSWORD. The defaults are ka-mock's; empty: not exported (say, when
  // extra_args name a credentials file instead).
  std::string ka_login = kKaMockLogin;
  std::string ka_password = kKaMockDefaultPassword;
  // --daily_at: off by default, so that no test's server starts a daily
  // run (and its SyncAll) because the test happens to run after 02:00 UTC.
  std::string daily_at = "off";
  // Whether the server may be given its testing_* flags (a moved clock, a
  // crash point): sets LSS_ALLOW_TESTING_FLAGS=1, without which a start
  // with them is refused as a production start would be.
  bool allow_testing_flags = true;
  // Further flags (auth, TLS...) and environment.
  std::vector<std::string> extra_args = {};
  std::vector<std::pair<std::string, std::string>> env = {};
  // See GrpcServerOptions.
  std::string work_dir = {};
  absl::Duration startup_timeout = absl::Seconds(30);
  // For a server started with TLS flags (in extra_args): how its
  // channels and readiness check connect. See GrpcServerOptions.
  std::shared_ptr<grpc::ChannelCredentials> channel_credentials = {};
};

// A GrpcServerProcess running the license-server built with this tree; all
// process controls are inherited. It serves health and reflection besides
// licensing.v1.LicenseService. Not thread-safe.
class LicenseServerProcess : public GrpcServerProcess {
 public:
  // Starts license-server and waits until it serves. FailedPreconditionError
  // if the build has no license-server (the CMake target did not exist at
  // configure time).
  static absl::StatusOr<std::unique_ptr<LicenseServerProcess>> Start(
      LicenseServerOptions options);

 private:
  explicit LicenseServerProcess(GrpcServerOptions server_options)
      : GrpcServerProcess(std::move(server_options)) {}
};

}  // namespace lss::harness
