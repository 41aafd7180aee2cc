#include "tests/harness/ka_mock_process.h"

#include "absl/memory/memory.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace lss::harness {
namespace {

// Set by tests/harness/CMakeLists.txt to $<TARGET_FILE:ka-mock> when the
// target exists; the harness also builds without it so that it can be
// developed before, and used apart from, the mock.
#ifdef KA_MOCK_PATH
constexpr const char* kKaMockPath = KA_MOCK_PATH;
#else
constexpr const char* kKaMockPath = nullptr;
#endif

}  // namespace

absl::StatusOr<std::unique_ptr<KaMockProcess>> KaMockProcess::Start(
    KaMockOptions options) {
  if (kKaMockPath == nullptr) {
    return absl::FailedPreconditionError(
        "ka-mock is not part of this build: the CMake target ka-mock did not "
        "exist when tests/harness was configured; re-run cmake");
  }
  GrpcServerOptions server;
  server.binary = kKaMockPath;
  server.name = "ka-mock";
  if (options.seed_keys > 0) {
    server.args = {"--seed_keys", absl::StrCat(options.seed_keys)};
  }
  server.args.insert(server.args.end(), options.extra_args.begin(),
                     options.extra_args.end());
  server.env = std::move(options.env);
  server.env.emplace_back("KA_MOCK_PASSWORD", options.password);
  server.work_dir = std::move(options.work_dir);
  server.startup_timeout = options.startup_timeout;
  server.channel_credentials = std::move(options.channel_credentials);

  auto mock = absl::WrapUnique(
      new KaMockProcess(std::move(server), std::move(options.password)));
  if (absl::Status status = mock->Launch(0); !status.ok()) return status;
  return mock;
}

}  // namespace lss::harness
