#include "tests/harness/license_server_process.h"

#include "absl/memory/memory.h"
#include "absl/status/status.h"

namespace lss::harness {
namespace {

// Set by tests/harness/CMakeLists.txt to $<TARGET_FILE:license-server> when
// the target exists; see ka_mock_process.cc.
#ifdef LICENSE_SERVER_PATH
constexpr const char* kLicenseServerPath = LICENSE_SERVER_PATH;
#else
constexpr const char* kLicenseServerPath = nullptr;
#endif

}  // namespace

absl::StatusOr<std::unique_ptr<LicenseServerProcess>>
LicenseServerProcess::Start(LicenseServerOptions options) {
  if (kLicenseServerPath == nullptr) {
    return absl::FailedPreconditionError(
        "license-server is not part of this build: the CMake target "
        "license-server did not exist when tests/harness was configured; "
        "re-run cmake");
  }
  GrpcServerOptions server;
  server.binary = kLicenseServerPath;
  server.name = "license-server";
  if (!options.db.empty()) server.args = {"--db", options.db};
  if (!options.ka_address.empty()) {
    server.args.insert(server.args.end(), {"--ka-address", options.ka_address});
  }
  server.args.push_back("--daily_at=" + options.daily_at);
  server.args.insert(server.args.end(), options.extra_args.begin(),
                     options.extra_args.end());
  server.env = std::move(options.env);
  if (options.allow_testing_flags) server.env.emplace_back("LSS_ALLOW_TESTING_FLAGS", "1");
  if (!options.db_password.empty()) {
    server.env.emplace_back("LSS_DB_PASSWORD", options.db_password);
  }
  if (!options.ka_login.empty()) {
    server.env.emplace_back("KA_LOGIN", options.ka_login);
  }
  if (!options.ka_password.empty()) {
    server.env.emplace_back("KA_PASSWORD", options.ka_password);
  }
  server.work_dir = std::move(options.work_dir);
  server.startup_timeout = options.startup_timeout;
  server.channel_credentials = std::move(options.channel_credentials);

  auto license_server =
      absl::WrapUnique(new LicenseServerProcess(std::move(server)));
  if (absl::Status status = license_server->Launch(0); !status.ok()) {
    return status;
  }
  return license_server;
}

}  // namespace lss::harness
