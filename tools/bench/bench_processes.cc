#include "bench/bench_processes.h"

#include <sys/stat.h>

#include <cerrno>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "grpcpp/client_context.h"
#include "keyadmin/v1/key_administrator_admin.grpc.pb.h"
#include "licensing/v1/license_service.grpc.pb.h"

namespace lss::bench {
namespace {

// Seeding and importing a million keys take minutes, not seconds.
constexpr absl::Duration kSeedDeadline = absl::Minutes(30);

void SetDeadline(grpc::ClientContext& context, absl::Duration timeout) {
  context.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout));
}

// `parent`/`name`, created if missing.
absl::StatusOr<std::string> MakeDir(const std::string& parent, const std::string& name) {
  const std::string path = absl::StrCat(parent, "/", name);
  if (mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
    return absl::FailedPreconditionError(absl::StrCat("cannot create ", path));
  }
  return path;
}

absl::Status FromGrpc(const grpc::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

}  // namespace

absl::StatusOr<std::unique_ptr<harness::MariaDbProcess>> StartMariaDb(const std::string& parent_dir,
                                                                      const std::vector<std::string>& extra_args) {
  absl::StatusOr<std::string> dir = MakeDir(parent_dir, "mariadb");
  if (!dir.ok()) return dir.status();
  harness::MariaDbOptions options;
  options.work_dir = *dir;
  options.extra_server_args = extra_args;
  // A private server's first start initialises its data directory too.
  options.startup_timeout = absl::Minutes(2);
  return harness::MariaDbProcess::Start(options);
}

absl::StatusOr<std::unique_ptr<harness::KaMockProcess>> StartKaMock(const std::string& parent_dir,
                                                                    const std::string& name) {
  absl::StatusOr<std::string> dir = MakeDir(parent_dir, name);
  if (!dir.ok()) return dir.status();
  harness::KaMockOptions options;
  options.work_dir = *dir;
  return harness::KaMockProcess::Start(options);
}

absl::Status SeedKeys(const harness::KaMockProcess& ka, int64_t count) {
  auto admin = keyadmin::v1::KeyAdministratorAdminService::NewStub(ka.NewChannel());
  keyadmin::v1::SeedKeysRequest request;
  request.set_count(count);
  request.set_seed(1);
  request.set_reset(true);
  keyadmin::v1::SeedKeysResponse response;
  grpc::ClientContext context;
  SetDeadline(context, kSeedDeadline);
  return FromGrpc(admin->SeedKeys(&context, request, &response), "SeedKeys");
}

absl::Status SetKaLatency(const harness::KaMockProcess& ka, absl::Duration latency) {
  auto admin = keyadmin::v1::KeyAdministratorAdminService::NewStub(ka.NewChannel());
  keyadmin::v1::SetFaultsRequest request;
  request.set_latency_ms(static_cast<int32_t>(absl::ToInt64Milliseconds(latency)));
  keyadmin::v1::SetFaultsResponse response;
  grpc::ClientContext context;
  SetDeadline(context, absl::Seconds(30));
  return FromGrpc(admin->SetFaults(&context, request, &response), "SetFaults");
}

absl::StatusOr<std::unique_ptr<harness::LicenseServerProcess>> StartLicenseServer(
    const BenchDatabase& database, const harness::KaMockProcess& ka, const std::string& parent_dir,
    const std::string& name, const std::vector<std::string>& extra_args) {
  absl::StatusOr<std::string> dir = MakeDir(parent_dir, name);
  if (!dir.ok()) return dir.status();
  harness::LicenseServerOptions options;
  options.db = database.ServerDsn();
  options.db_password = database.ServerPassword();
  options.ka_address = ka.address();
  options.ka_password = ka.password();
  options.extra_args = extra_args;
  options.extra_args.push_back(absl::StrCat("--replica-id=", name));
  options.work_dir = *dir;
  // Schema migrations on a database holding a million licenses are quick,
  // but the machine is shared: leave room.
  options.startup_timeout = absl::Minutes(2);
  return harness::LicenseServerProcess::Start(options);
}

absl::StatusOr<int64_t> ImportAllLicenses(const harness::LicenseServerProcess& server) {
  auto stub = licensing::v1::LicenseService::NewStub(server.NewChannel());
  licensing::v1::ImportLicensesRequest request;  // no key numbers: the whole account
  licensing::v1::ImportLicensesResponse response;
  grpc::ClientContext context;
  SetDeadline(context, kSeedDeadline);
  if (absl::Status status = FromGrpc(stub->ImportLicenses(&context, request, &response), "ImportLicenses");
      !status.ok()) {
    return status;
  }
  if (response.failed() > 0) {
    return absl::InternalError(absl::StrCat("ImportLicenses: ", response.failed(), " keys failed, first: ",
                                            response.failures().empty() ? "" : response.failures(0).error()));
  }
  return response.imported();
}

}  // namespace lss::bench
