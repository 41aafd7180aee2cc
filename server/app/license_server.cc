#include "server/app/license_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include <unistd.h>

#include <functional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "client/key_administrator_client.h"
#include "common/clock.h"
#include "absl/random/random.h"
#include "absl/strings/str_format.h"
#include "server/app/database_policy.h"
#include "server/app/health_monitor.h"
#include "server/app/ka_link_policy.h"
#include "server/app/listen_policy.h"
#include "server/audit/audit_queries.h"
#include "server/audit/audit_trail.h"
#include "server/auth/authenticator.h"
#include "server/daily/daily_run_queries.h"
#include "server/daily/daily_runner.h"
#include "server/daily/daily_scheduler.h"
#include "server/jobs/progress_hub.h"
#include "server/jobs/progress_ticker.h"
#include "server/jobs/sync_job_runner.h"
#include "server/jobs/sync_jobs.h"
#include "server/licenses/license_intake.h"
#include "server/licenses/license_queries.h"
#include "server/licenses/license_terminator.h"
#include "server/metrics/metered_key_administrator.h"
#include "server/metrics/metered_sync_job_repository.h"
#include "server/metrics/metric_registry.h"
#include "server/metrics/metrics_http_server.h"
#include "server/metrics/rpc_metrics.h"
#include "server/metrics/server_gauges.h"
#include "server/rpc/call_log.h"
#include "server/rpc/license_service_handler.h"
#include "server/rpc/server_interceptors.h"
#include "server/runtime/worker_pool.h"
#include "server/sync/license_syncer.h"
#include "server/upgrade/order_placement.h"
#include "server/upgrade/price_catalogue.h"
#include "server/upgrade/upgrade_sessions.h"
#include "server/upgrade/upgrade_sweeper.h"
#include "server/upgrade/upgrade_wizard.h"
#include "storage/dsn.h"

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

// Leases name their holder; a restarted replica is a new holder, so that it
// never mistakes a dead predecessor's lease for its own.
std::string DefaultReplicaId() {
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  absl::BitGen gen;
  return absl::StrFormat("%s:%d:%08x", host, getpid(), absl::Uniform<uint32_t>(gen));
}

SyncJobRunnerOptions RunnerOptions(const LicenseServerConfig& config, const std::string& replica_id,
                                   std::function<void(const SyncJobRecord&)> on_job_ended) {
  SyncJobRunnerOptions options;
  options.on_job_ended = std::move(on_job_ended);
  options.replica_id = replica_id;
  options.lease = config.sync_lease;
  options.poll_interval = config.sync_poll_interval;
  options.ka_probe_interval = config.ka_probe_interval;
  options.ka_page_size = config.ka_page_size;
  return options;
}

DailyRunOptions DailyOptions(const LicenseServerConfig& config) {
  DailyRunOptions options;
  options.lease = config.sync_lease;
  options.poll_interval = config.sync_poll_interval;
  options.history_retention = config.history_retention;
  options.audit_retention = config.audit_retention;
  options.job_retention = config.job_retention;
  return options;
}

DailySchedulerOptions SchedulerOptions(const LicenseServerConfig& config, const std::string& replica_id) {
  DailySchedulerOptions options;
  options.time_of_day = config.daily_at.value_or(absl::ZeroDuration());
  options.check_interval = config.daily_check_interval;
  options.replica_id = replica_id;
  options.lease = config.sync_lease;
  return options;
}

OrderPlacementOptions PlacementOptions(const LicenseServerConfig& config, const std::string& replica_id) {
  OrderPlacementOptions options;
  options.replica_id = replica_id;
  options.lease = config.sync_lease;
  options.crash_after_ka_upgrade = config.test_crash_after_ka_upgrade;
  return options;
}

// Members are declared in dependency order so that destruction runs the
// other way: the gRPC server stops before the services it calls go away.
class LicenseServerImpl final : public LicenseServer {
 public:
  LicenseServerImpl(const LicenseServerConfig& config, std::unique_ptr<Database> database,
                    std::unique_ptr<KeyAdministratorClient> ka, std::unique_ptr<KeyAdministratorClient> ka_probe,
                    absl::optional<PriceCatalogue> catalogue, Authenticator authenticator)
      : clock_(config.clock_offset),
        replica_id_(config.replica_id.empty() ? DefaultReplicaId() : config.replica_id),
        daily_enabled_(config.daily_at.has_value()),
        database_(std::move(database)),
        metered_jobs_(database_->sync_jobs(), metrics_),
        ka_(std::move(ka)),
        ka_probe_(std::move(ka_probe)),
        metered_ka_(*ka_, metrics_),
        pool_(config.worker_threads),
        admission_(pool_, config.admission),
        progress_(config.watchers),
        queries_(database_->licenses()),
        syncer_(database_->licenses(), metered_ka_, pool_, clock_),
        intake_(database_->licenses(), metered_ka_, pool_, clock_),
        // The ticker is built after the runner but only called from the
        // runner's thread, which runs from Start() to Stop(), both within
        // the ticker's life.
        runner_(metered_jobs_, metered_ka_, clock_,
                RunnerOptions(config, replica_id_, [this](const SyncJobRecord& job) { ticker_.Publish(job); })),
        ticker_(metered_jobs_, runner_, progress_, clock_, config.progress_interval),
        jobs_(metered_jobs_, runner_, ticker_, clock_, config.sync_chunk_size, config.sync_bulk),
        daily_runner_(DailyRunStores{database_->daily_runs(), database_->licenses(), metered_jobs_,
                                     database_->audit()},
                      jobs_, metered_ka_, clock_, DailyOptions(config)),
        scheduler_(database_->daily_runs(), daily_runner_, clock_, SchedulerOptions(config, replica_id_)),
        daily_queries_(database_->daily_runs()),
        catalogue_(std::move(catalogue)),
        sessions_(database_->upgrades(), database_->licenses(), clock_, config.upgrade_ttl),
        wizard_(sessions_, metered_ka_, pool_, catalogue_ ? &*catalogue_ : nullptr),
        placement_(sessions_, metered_ka_, pool_, PlacementOptions(config, replica_id_)),
        sweeper_(sessions_, placement_, config.upgrade_sweep_interval),
        terminator_(database_->licenses(), metered_ka_, pool_, clock_, config.sync_lease),
        authenticator_(std::move(authenticator)),
        audit_trail_(database_->audit(), pool_, clock_, AuditOptions{.refusal_window = config.audit_refusal_window}),
        audit_queries_(database_->audit()),
        handler_(queries_, syncer_, intake_, jobs_, progress_, daily_queries_,
                 UpgradeServices{wizard_, placement_, terminator_},
                 SecurityServices{authenticator_, admission_, audit_trail_, audit_queries_}, pool_),
        call_log_(config.call_logging),
        rpc_metrics_(metrics_, MethodsOfService(licensing::v1::LicenseService::service_full_name())) {
    AddServerGauges(metrics_, absl::Now(), progress_);
  }

  ~LicenseServerImpl() override {
    Shutdown(absl::ZeroDuration());
    // Also when Serve failed before there was a server to shut down: the
    // runner's thread calls the ticker, which is destroyed first.
    runner_.Stop();
  }

  absl::Status Serve(const LicenseServerConfig& config, std::shared_ptr<grpc::ServerCredentials> credentials) {
    if (!config.metrics_address.empty()) {
      absl::StatusOr<std::unique_ptr<metrics::MetricsHttpServer>> metrics_http =
          metrics::MetricsHttpServer::Start(config.metrics_address, [this] { return metrics_.Render(); });
      if (!metrics_http.ok()) return metrics_http.status();
      metrics_http_ = *std::move(metrics_http);
    }
    grpc::EnableDefaultHealthCheckService(true);
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    grpc::ServerBuilder builder;
    builder.AddListeningPort(config.listen, std::move(credentials), &port_);
    builder.RegisterService(&handler_);
    builder.SetMaxReceiveMessageSize(config.max_message_bytes);
    ApplyTransportLimits(config.transport, builder);
    builder.experimental().SetInterceptorCreators(ServerInterceptors({&call_log_, &rpc_metrics_}));
    server_ = builder.BuildAndStart();
    if (server_ == nullptr || port_ == 0) {
      // gRPC refuses a certificate and key that do not belong together only
      // here, and says so in its own log alone.
      return absl::UnavailableError(absl::StrCat(
          "cannot listen on ", config.listen,
          config.tls.cert_file.empty() ? "" : " (is --tls_key_file the key of --tls_cert_file?)"));
    }
    // A job left running by a crash resumes from its checkpoint: the runner
    // claims its unfinished chunks.
    runner_.Start();
    ticker_.Start();
    if (daily_enabled_) scheduler_.Start();
    // Orders a crash left placing complete as soon as their claim runs out.
    sweeper_.Start();
    health_ = std::make_unique<HealthMonitor>(
        server_->GetHealthCheckService(), [this] { return database_->Ping(); },
        [this] { return ProbeKeyAdministrator(*ka_probe_); }, config.health_interval);
    return absl::OkStatus();
  }

  int port() const override { return port_; }
  int metrics_port() const override { return metrics_http_ != nullptr ? metrics_http_->port() : 0; }

  void Shutdown(absl::Duration grace) override {
    absl::MutexLock lock(&shutdown_mu_);
    if (server_ == nullptr || shut_down_) return;
    shut_down_ = true;
    health_.reset();
    // A daily run under way stops at its next step; another replica (or
    // this one restarted) resumes it once its lease expires.
    scheduler_.Stop();
    sweeper_.Stop();
    // Leases go back first, so that other replicas take over at once.
    runner_.Stop();
    server_->Shutdown(std::chrono::system_clock::now() + absl::ToChronoNanoseconds(grace));
    server_->Wait();
    ticker_.Stop();
  }

 private:
  // First, so that it outlives whatever records into it (KA callbacks).
  metrics::MetricRegistry metrics_;
  OffsetClock clock_;
  const std::string replica_id_;
  const bool daily_enabled_;
  std::unique_ptr<Database> database_;
  MeteredSyncJobRepository metered_jobs_;
  std::unique_ptr<KeyAdministratorClient> ka_;
  std::unique_ptr<KeyAdministratorClient> ka_probe_;  // one quick attempt per probe; not metered
  MeteredKeyAdministrator metered_ka_;
  WorkerPool pool_;
  CallAdmission admission_;
  ProgressHub progress_;
  LicenseQueries queries_;
  LicenseSyncer syncer_;
  LicenseIntake intake_;
  SyncJobRunner runner_;
  ProgressTicker ticker_;
  SyncJobs jobs_;
  DailyRunner daily_runner_;
  DailyScheduler scheduler_;
  DailyRunQueries daily_queries_;
  const absl::optional<PriceCatalogue> catalogue_;
  UpgradeSessions sessions_;
  UpgradeWizard wizard_;
  OrderPlacement placement_;
  UpgradeSweeper sweeper_;
  LicenseTerminator terminator_;
  const Authenticator authenticator_;
  AuditTrail audit_trail_;
  AuditQueries audit_queries_;
  LicenseServiceHandler handler_;
  CallLog call_log_;
  RpcMetrics rpc_metrics_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<HealthMonitor> health_;
  int port_ = 0;
  absl::Mutex shutdown_mu_;
  bool shut_down_ ABSL_GUARDED_BY(shutdown_mu_) = false;
  // Last, so that it stops first: its scrapes read the members above.
  std::unique_ptr<metrics::MetricsHttpServer> metrics_http_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<LicenseServer>> LicenseServer::Start(const LicenseServerConfig& config) {
  // Before the database, so that a bad TLS setting fails fast and touches
  // nothing.
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials = MakeServerCredentials(config.tls);
  if (!credentials.ok()) return credentials.status();
  Authenticator no_tokens;
  absl::StatusOr<Authenticator> authenticator = no_tokens;
  if (!config.auth_tokens_file.empty()) {
    absl::StatusOr<std::vector<TokenEntry>> tokens = LoadTokenFile(config.auth_tokens_file);
    if (!tokens.ok()) return tokens.status();
    authenticator = Authenticator(*tokens);
  }
  if (absl::Status policy = CheckListenPolicy(config.listen, !config.tls.cert_file.empty(), authenticator->enabled(),
                                              config.allow_insecure_listen);
      !policy.ok()) {
    return policy;
  }
  if (absl::Status ka_link = CheckKaLinkPolicy(config.ka_address, config.ka_tls.enabled(), config.allow_insecure_ka);
      !ka_link.ok()) {
    return ka_link;
  }
  // Before connecting: a plaintext link to another machine must not carry
  // even the login.
  absl::StatusOr<DataSource> data_source = ParseDsn(config.database.dsn);
  if (!data_source.ok()) return data_source.status();
  if (absl::Status policy =
          CheckDatabasePolicy(*data_source, config.database.tls.enabled(), config.allow_insecure_db);
      !policy.ok()) {
    return policy;
  }
  if (!config.metrics_address.empty()) {
    // Before the database too: a mistyped address touches nothing.
    absl::StatusOr<std::string> metrics_option = metrics::ListeningPortsOption(config.metrics_address);
    if (!metrics_option.ok()) return metrics_option.status();
  }
  absl::optional<PriceCatalogue> catalogue;
  if (!config.price_catalogue.empty()) {
    absl::StatusOr<PriceCatalogue> loaded = LoadPriceCatalogue(config.price_catalogue);
    if (!loaded.ok()) return loaded.status();
    catalogue = *std::move(loaded);
  }
  absl::StatusOr<std::unique_ptr<Database>> database = Database::Open(config.database);
  if (!database.ok()) return database.status();

  KeyAdministratorClient::Options ka_options;
  ka_options.target = config.ka_address;
  ka_options.credentials = config.ka_credentials;
  ka_options.tls = config.ka_tls;
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
                                                    *std::move(ka_probe), std::move(catalogue),
                                                    *std::move(authenticator));
  if (absl::Status serving = server->Serve(config, *std::move(credentials)); !serving.ok()) return serving;
  return server;
}

}  // namespace lss
