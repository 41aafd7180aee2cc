#include "server/app/license_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "client/key_administrator_client.h"
#include "common/clock.h"
#include "server/app/health_monitor.h"
#include "server/licenses/license_intake.h"
#include "server/licenses/license_queries.h"
#include "server/rpc/license_service_handler.h"
#include "server/runtime/worker_pool.h"
#include "server/sync/license_syncer.h"

namespace lss {
namespace {

// KA is reachable when it answers a cheap call; waits for the answer.
absl::Status ProbeKeyAdministrator(KeyAdministrator& ka) {
  absl::Notification answered;
  absl::Status result;
  ka.ListKeyTypes([&](absl::StatusOr<std::vector<KaKeyType>> types) {
    result = types.status();
    answered.Notify();
  });
  answered.WaitForNotification();
  return result;
}

// Members are declared in dependency order so that destruction runs the
// other way: the gRPC server stops before the services it calls go away.
class LicenseServerImpl final : public LicenseServer {
 public:
  LicenseServerImpl(const LicenseServerConfig& config, std::unique_ptr<Database> database,
                    std::unique_ptr<KeyAdministratorClient> ka, std::unique_ptr<KeyAdministratorClient> ka_probe)
      : database_(std::move(database)),
        ka_(std::move(ka)),
        ka_probe_(std::move(ka_probe)),
        pool_(config.worker_threads),
        queries_(database_->licenses()),
        syncer_(database_->licenses(), *ka_, pool_, clock_),
        intake_(database_->licenses(), *ka_, pool_, clock_),
        handler_(queries_, syncer_, intake_, pool_) {}

  ~LicenseServerImpl() override { Shutdown(absl::ZeroDuration()); }

  absl::Status Serve(const LicenseServerConfig& config) {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    grpc::ServerBuilder builder;
    builder.AddListeningPort(config.listen, grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&handler_);
    server_ = builder.BuildAndStart();
    if (server_ == nullptr || port_ == 0) {
      return absl::UnavailableError(absl::StrCat("cannot listen on ", config.listen));
    }
    health_ = std::make_unique<HealthMonitor>(
        server_->GetHealthCheckService(), [this] { return database_->Ping(); },
        [this] { return ProbeKeyAdministrator(*ka_probe_); }, config.health_interval);
    return absl::OkStatus();
  }

  int port() const override { return port_; }

  void Shutdown(absl::Duration grace) override {
    absl::MutexLock lock(&shutdown_mu_);
    if (server_ == nullptr || shut_down_) return;
    shut_down_ = true;
    health_.reset();
    server_->Shutdown(std::chrono::system_clock::now() + absl::ToChronoNanoseconds(grace));
    server_->Wait();
  }

 private:
  RealClock clock_;
  std::unique_ptr<Database> database_;
  std::unique_ptr<KeyAdministratorClient> ka_;
  std::unique_ptr<KeyAdministratorClient> ka_probe_;  // one quick attempt per probe
  WorkerPool pool_;
  LicenseQueries queries_;
  LicenseSyncer syncer_;
  LicenseIntake intake_;
  LicenseServiceHandler handler_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<HealthMonitor> health_;
  int port_ = 0;
  absl::Mutex shutdown_mu_;
  bool shut_down_ ABSL_GUARDED_BY(shutdown_mu_) = false;
};

}  // namespace

absl::StatusOr<std::unique_ptr<LicenseServer>> LicenseServer::Start(const LicenseServerConfig& config) {
  absl::StatusOr<std::unique_ptr<Database>> database = Database::Open(config.database);
  if (!database.ok()) return database.status();

  KeyAdministratorClient::Options ka_options;
  ka_options.target = config.ka_address;
  ka_options.credentials = config.ka_credentials;
  ka_options.attempt_deadline = config.ka_deadline;
  ka_options.max_in_flight = config.ka_max_in_flight;
  absl::StatusOr<std::unique_ptr<KeyAdministratorClient>> ka = KeyAdministratorClient::Create(ka_options);
  if (!ka.ok()) return ka.status();

  // Health probes must not wait through the retries of ordinary calls.
  ka_options.attempt_deadline = absl::Seconds(1);
  ka_options.retry.max_attempts = 1;
  ka_options.max_in_flight = 1;
  absl::StatusOr<std::unique_ptr<KeyAdministratorClient>> ka_probe = KeyAdministratorClient::Create(ka_options);
  if (!ka_probe.ok()) return ka_probe.status();

  auto server = std::make_unique<LicenseServerImpl>(config, *std::move(database), *std::move(ka),
                                                    *std::move(ka_probe));
  if (absl::Status serving = server->Serve(config); !serving.ok()) return serving;
  return server;
}

}  // namespace lss
