// license-server: the LicenseService.
//
// Flags may be spelt with dashes (--ka-address) or underscores
// (--ka_address). Secrets never come from the command line: the database
// password from LSS_DB_PASSWORD or --db-password-file, the KA partner
// credentials from --ka-credentials-file (login, then password, one per
// line) or KA_LOGIN and KA_PASSWORD.
//
// TLS: --tls_cert_file with --tls_key_file on the listener (mutual TLS with
// --tls_client_ca_file); --ka_tls_* on the channel to KA; --db_tls_* on the
// link to MySQL (required off loopback unless --allow_insecure_db).
//
// Stops cleanly on SIGTERM or SIGINT: in-flight calls get --shutdown-grace,
// then the process exits 0.
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "client/ka_credentials.h"
#include "common/file_permissions.h"
#include "common/log/structured_log.h"
#include "server/app/flag_spelling.h"
#include "server/app/license_server.h"
#include "server/daily/daily_schedule.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051", "HOST:PORT to serve gRPC on (port 0: any free port)");
ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM certificate chain of the listener; with --tls_key_file, the server speaks TLS only");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key of --tls_cert_file");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "PEM CA bundle: mutual TLS, every client must present a certificate signed by one of these CAs");
ABSL_FLAG(std::string, auth_tokens_file, "",
          "Bearer tokens by SHA-256, name and role (viewer, operator, admin), one per line; without it every "
          "caller may do everything, so the server listens on loopback only");
ABSL_FLAG(bool, allow_insecure_listen, false,
          "Listen on a non-loopback address without TLS and tokens (anyone who reaches it may change licenses)");
ABSL_FLAG(int, max_message_bytes, 4 * 1024 * 1024, "The largest request accepted, in bytes");
ABSL_FLAG(std::string, port_file, "",
          "After binding, write the bound port to this file (for tests that listen on port 0)");
ABSL_FLAG(std::string, db, "sqlite:license-sync.db",
          "Database: sqlite:PATH (embedded default) or mysql://USER@HOST:PORT/DB");
ABSL_FLAG(std::string, db_password_file, "",
          "File holding the MySQL password (default: environment variable LSS_DB_PASSWORD)");
ABSL_FLAG(std::string, db_tls_ca_file, "",
          "PEM CA bundle that the MySQL server's certificate must chain to; turns on TLS to the database");
ABSL_FLAG(std::string, db_tls_cert_file, "",
          "PEM certificate chain presented to MySQL (accounts created REQUIRE X509); needs --db_tls_ca_file");
ABSL_FLAG(std::string, db_tls_key_file, "", "PEM private key of --db_tls_cert_file");
ABSL_FLAG(bool, db_tls_verify_server_cert, true,
          "With TLS to MySQL, the server's certificate must also name the --db host (false: the chain alone)");
ABSL_FLAG(bool, allow_insecure_db, false,
          "Connect to a MySQL host that is not loopback without TLS (the login and every license cross the network "
          "in plaintext)");
ABSL_FLAG(std::string, ka_address, "127.0.0.1:50052", "HOST:PORT of the Key Administrator");
ABSL_FLAG(std::string, ka_credentials_file, "",
          "File with the KA login and password on two lines (default: KA_LOGIN and KA_PASSWORD)");
ABSL_FLAG(std::string, ka_tls_ca_file, "",
          "PEM CA bundle that KA's certificate must chain to; turns on TLS to KA");
ABSL_FLAG(std::string, ka_tls_cert_file, "",
          "PEM certificate chain presented to KA (mutual TLS; turns on TLS to KA, with gRPC's default roots "
          "unless --ka_tls_ca_file)");
ABSL_FLAG(std::string, ka_tls_key_file, "", "PEM private key of --ka_tls_cert_file");
ABSL_FLAG(bool, allow_insecure_ka, false,
          "Call a KA that is not on loopback without TLS (its login and password then cross the network in the "
          "clear)");
ABSL_FLAG(std::string, ka_tls_server_name, "",
          "Name KA's certificate must carry, when not the host of --ka_address (tests)");
ABSL_FLAG(absl::Duration, ka_deadline, absl::Seconds(5), "Deadline of each call attempt to KA");
ABSL_FLAG(int, ka_max_in_flight, 64, "Most calls to KA in flight at once");
ABSL_FLAG(int, workers, 16, "Threads running database work");
ABSL_FLAG(int, max_calls_in_progress, 2048,
          "Unary calls admitted and not finished at most; beyond, calls are refused at once with "
          "RESOURCE_EXHAUSTED and a RetryInfo");
ABSL_FLAG(int, max_queued_work, 512,
          "Tasks waiting for a --workers thread at most; beyond, new calls are refused at once with "
          "RESOURCE_EXHAUSTED and a RetryInfo");
ABSL_FLAG(absl::Duration, overload_retry_after, absl::Milliseconds(100),
          "How long a call refused for overload is asked to wait (its RetryInfo)");
ABSL_FLAG(int, max_watchers_per_job, 5000, "SyncAll/WatchSyncJob streams on one job at most");
ABSL_FLAG(int, max_watchers_per_caller, 2000,
          "SyncAll/WatchSyncJob streams of one caller at most (its token's name, or its host without a token)");
ABSL_FLAG(int, max_streams_per_connection, 1100, "Calls in flight on one client connection at most");
ABSL_FLAG(int64_t, rpc_memory_quota, int64_t{1} << 30, "Bytes gRPC may hold in buffers for all connections");
ABSL_FLAG(absl::Duration, max_connection_age, absl::Hours(1),
          "A client connection is asked to reconnect after this long (spreads clients over replicas)");
ABSL_FLAG(absl::Duration, max_connection_age_grace, absl::Minutes(10),
          "How long calls still open on a connection past --max_connection_age may run on");
ABSL_FLAG(absl::Duration, keepalive_time, absl::Minutes(1), "How often the server pings an idle connection");
ABSL_FLAG(absl::Duration, min_client_ping_interval, absl::Seconds(10),
          "Client keepalive pings more frequent than this (or any without calls) end the connection");
ABSL_FLAG(absl::Duration, audit_refusal_window, absl::Minutes(1),
          "Refused calls of one caller, method and reason within this long are one audit event with their count");
ABSL_FLAG(absl::Duration, health_interval, absl::Seconds(2), "How often the database and KA are probed");
ABSL_FLAG(std::string, replica_id, "", "This replica's name on SyncAll chunk leases (default: host:pid:random)");
ABSL_FLAG(absl::Duration, sync_lease, absl::Seconds(30),
          "Lease of a SyncAll chunk; a dead replica's chunk is taken over after it");
ABSL_FLAG(absl::Duration, sync_poll_interval, absl::Seconds(1), "How often an idle replica looks for SyncAll work");
ABSL_FLAG(absl::Duration, progress_interval, absl::Seconds(1), "How often SyncAll progress is streamed");
ABSL_FLAG(absl::Duration, ka_probe_interval, absl::Seconds(1), "How often a SyncAll paused by a KA outage probes KA");
ABSL_FLAG(int64_t, sync_chunk_size, 500, "Licenses per SyncAll chunk (one commit each)");
ABSL_FLAG(bool, sync_bulk, true,
          "A SyncAll of every license reads KA's account through ListKeys pages (false: GetKeyInfo per "
          "license)");
ABSL_FLAG(int, ka_page_size, 1000, "Keys per ListKeys page read by a bulk SyncAll");
ABSL_FLAG(std::string, daily_at, "02:00",
          "UTC time of day (HH:MM) of the daily run (sync, renew, expire, prune); \"off\": this replica "
          "never starts it");
ABSL_FLAG(absl::Duration, daily_check_interval, absl::Minutes(1),
          "How often a replica looks whether the daily run is due");
ABSL_FLAG(absl::Duration, history_retention, absl::Hours(24 * 90), "How long sync history is kept");
ABSL_FLAG(absl::Duration, audit_retention, absl::Hours(24 * 365), "How long audit events are kept");
ABSL_FLAG(absl::Duration, job_retention, absl::Hours(24 * 30), "How long finished SyncAll jobs are kept");

ABSL_FLAG(std::string, price_catalogue, "",
          "The price catalogue file that PriceUpgrade prices from (format: server/upgrade/price_catalogue.h); "
          "without it PriceUpgrade fails");
ABSL_FLAG(absl::Duration, upgrade_ttl, absl::Minutes(30),
          "How long an unfinished upgrade session lives after its last step");
ABSL_FLAG(absl::Duration, upgrade_sweep_interval, absl::Seconds(5),
          "How often orders left placing by a dead replica are completed and timed-out sessions expired");

ABSL_FLAG(std::string, log_calls, "all",
          "Which LicenseService calls get a JSON line on stderr (method, code, reason, duration, request id, "
          "peer): all, errors (calls not ending OK) or none");
ABSL_FLAG(std::string, metrics_address, "",
          "HOST:PORT serving Prometheus metrics over HTTP, GET /metrics (empty: not served; port 0: any free port, "
          "logged as event metrics_listening). HOST is an IPv4 address or localhost. Metrics are read-only and hold "
          "no secret, so any address is allowed without TLS or tokens: keep it on loopback unless a scraper "
          "elsewhere needs it");
// Testing only: flags named testing_* bend the server for tests (a clock
// moved to another day, a crash at a chosen point). A production start
// refuses them: they are accepted only when the environment says that this
// is a test (LSS_ALLOW_TESTING_FLAGS=1, which tests/harness sets).
ABSL_FLAG(absl::Duration, testing_clock_offset, absl::ZeroDuration(),
          "Testing only (needs LSS_ALLOW_TESTING_FLAGS=1): run the server's clock this far from the wall clock");
ABSL_FLAG(bool, testing_crash_after_ka_upgrade, false,
          "Testing only (needs LSS_ALLOW_TESTING_FLAGS=1): the process kills itself (SIGKILL) when KA answers an "
          "upgrade, before the database write");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(5), "How long in-flight calls may run on after SIGTERM");

namespace {

absl::StatusOr<std::string> ReadSecretFile(const std::string& path) {
  if (absl::Status trusted = lss::CheckFilePermissions("--db_password_file", path, lss::FileTrust::kSecret);
      !trusted.ok()) {
    return trusted;
  }
  std::ifstream in(path);
  if (!in) return absl::FailedPreconditionError(absl::StrCat("cannot read password file ", path));
  std::stringstream text;
  text << in.rdbuf();
  return std::string(absl::StripAsciiWhitespace(text.str()));
}

absl::StatusOr<std::string> DatabasePassword() {
  const std::string file = absl::GetFlag(FLAGS_db_password_file);
  if (!file.empty()) return ReadSecretFile(file);
  const char* env = std::getenv("LSS_DB_PASSWORD");
  return std::string(env == nullptr ? "" : env);
}

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

// FAILED_PRECONDITION naming the testing_* flags set, unless the
// environment marks this start as a test's.
absl::Status CheckTestingFlags() {
  std::vector<std::string> set;
  if (absl::GetFlag(FLAGS_testing_clock_offset) != absl::ZeroDuration()) set.push_back("--testing_clock_offset");
  if (absl::GetFlag(FLAGS_testing_crash_after_ka_upgrade)) set.push_back("--testing_crash_after_ka_upgrade");
  const char* allowed = std::getenv("LSS_ALLOW_TESTING_FLAGS");
  if (set.empty() || (allowed != nullptr && std::string(allowed) == "1")) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      absl::StrJoin(set, ", "), ": testing-only flags, refused by a production start (tests set "
                                "LSS_ALLOW_TESTING_FLAGS=1)"));
}

int Fail(const absl::Status& status) {
  lss::LogEvent(lss::LogLevel::kError, "start_failed").Field("error", status.message());
  return 1;
}

int Run() {
  // Block the stop signals before any thread starts (threads inherit the
  // mask), so that only sigwait() below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  lss::LicenseServerConfig config;
  config.listen = absl::GetFlag(FLAGS_listen);
  config.tls = {.cert_file = absl::GetFlag(FLAGS_tls_cert_file),
                .key_file = absl::GetFlag(FLAGS_tls_key_file),
                .client_ca_file = absl::GetFlag(FLAGS_tls_client_ca_file)};
  config.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  config.auth_tokens_file = absl::GetFlag(FLAGS_auth_tokens_file);
  config.allow_insecure_listen = absl::GetFlag(FLAGS_allow_insecure_listen);
  config.database.dsn = absl::GetFlag(FLAGS_db);
  absl::StatusOr<std::string> password = DatabasePassword();
  if (!password.ok()) return Fail(password.status());
  config.database.password = *std::move(password);
  config.database.pool_size = absl::GetFlag(FLAGS_workers);
  config.database.tls = {.ca_file = absl::GetFlag(FLAGS_db_tls_ca_file),
                         .cert_file = absl::GetFlag(FLAGS_db_tls_cert_file),
                         .key_file = absl::GetFlag(FLAGS_db_tls_key_file),
                         .verify_server_cert = absl::GetFlag(FLAGS_db_tls_verify_server_cert)};
  config.allow_insecure_db = absl::GetFlag(FLAGS_allow_insecure_db);
  config.ka_address = absl::GetFlag(FLAGS_ka_address);
  absl::StatusOr<lss::KaCredentials> credentials =
      lss::LoadKaCredentials(absl::GetFlag(FLAGS_ka_credentials_file));
  if (!credentials.ok()) return Fail(credentials.status());
  config.ka_credentials = *std::move(credentials);
  config.ka_tls = {.ca_file = absl::GetFlag(FLAGS_ka_tls_ca_file),
                   .cert_file = absl::GetFlag(FLAGS_ka_tls_cert_file),
                   .key_file = absl::GetFlag(FLAGS_ka_tls_key_file),
                   .server_name = absl::GetFlag(FLAGS_ka_tls_server_name)};
  config.allow_insecure_ka = absl::GetFlag(FLAGS_allow_insecure_ka);
  config.ka_deadline = absl::GetFlag(FLAGS_ka_deadline);
  config.ka_max_in_flight = absl::GetFlag(FLAGS_ka_max_in_flight);
  config.worker_threads = absl::GetFlag(FLAGS_workers);
  config.admission = {.max_calls_in_progress = absl::GetFlag(FLAGS_max_calls_in_progress),
                      .max_queued_tasks = static_cast<size_t>(std::max(1, absl::GetFlag(FLAGS_max_queued_work))),
                      .retry_after = absl::GetFlag(FLAGS_overload_retry_after)};
  config.watchers = {.per_job = absl::GetFlag(FLAGS_max_watchers_per_job),
                     .per_caller = absl::GetFlag(FLAGS_max_watchers_per_caller)};
  config.transport.memory_quota_bytes = absl::GetFlag(FLAGS_rpc_memory_quota);
  config.transport.max_concurrent_streams = absl::GetFlag(FLAGS_max_streams_per_connection);
  config.transport.keepalive_time = absl::GetFlag(FLAGS_keepalive_time);
  config.transport.min_client_ping_interval = absl::GetFlag(FLAGS_min_client_ping_interval);
  config.transport.max_connection_age = absl::GetFlag(FLAGS_max_connection_age);
  config.transport.max_connection_age_grace = absl::GetFlag(FLAGS_max_connection_age_grace);
  config.audit_refusal_window = absl::GetFlag(FLAGS_audit_refusal_window);
  config.health_interval = absl::GetFlag(FLAGS_health_interval);
  config.replica_id = absl::GetFlag(FLAGS_replica_id);
  config.sync_lease = absl::GetFlag(FLAGS_sync_lease);
  config.sync_poll_interval = absl::GetFlag(FLAGS_sync_poll_interval);
  config.progress_interval = absl::GetFlag(FLAGS_progress_interval);
  config.ka_probe_interval = absl::GetFlag(FLAGS_ka_probe_interval);
  config.sync_chunk_size = absl::GetFlag(FLAGS_sync_chunk_size);
  config.sync_bulk = absl::GetFlag(FLAGS_sync_bulk);
  config.ka_page_size = absl::GetFlag(FLAGS_ka_page_size);
  if (const std::string daily_at = absl::GetFlag(FLAGS_daily_at); daily_at == "off") {
    config.daily_at = absl::nullopt;
  } else {
    absl::StatusOr<absl::Duration> time_of_day = lss::ParseTimeOfDay(daily_at);
    if (!time_of_day.ok()) return Fail(time_of_day.status());
    config.daily_at = *time_of_day;
  }
  config.daily_check_interval = absl::GetFlag(FLAGS_daily_check_interval);
  config.history_retention = absl::GetFlag(FLAGS_history_retention);
  config.audit_retention = absl::GetFlag(FLAGS_audit_retention);
  config.job_retention = absl::GetFlag(FLAGS_job_retention);
  if (absl::Status testing = CheckTestingFlags(); !testing.ok()) return Fail(testing);
  config.clock_offset = absl::GetFlag(FLAGS_testing_clock_offset);
  config.price_catalogue = absl::GetFlag(FLAGS_price_catalogue);
  config.upgrade_ttl = absl::GetFlag(FLAGS_upgrade_ttl);
  config.upgrade_sweep_interval = absl::GetFlag(FLAGS_upgrade_sweep_interval);
  config.test_crash_after_ka_upgrade = absl::GetFlag(FLAGS_testing_crash_after_ka_upgrade);
  const absl::optional<lss::CallLogging> call_logging = lss::ParseCallLogging(absl::GetFlag(FLAGS_log_calls));
  if (!call_logging) {
    return Fail(absl::InvalidArgumentError(
        absl::StrCat("--log_calls=", absl::GetFlag(FLAGS_log_calls), ": expected all, errors or none")));
  }
  config.call_logging = *call_logging;
  config.metrics_address = absl::GetFlag(FLAGS_metrics_address);

  absl::StatusOr<std::unique_ptr<lss::LicenseServer>> server = lss::LicenseServer::Start(config);
  if (!server.ok()) return Fail(server.status());
  // Before the port file: whoever waits for that finds this line too.
  if ((*server)->metrics_port() != 0) {
    lss::LogEvent(lss::LogLevel::kInfo, "metrics_listening")
        .Field("port", (*server)->metrics_port())
        .Field("path", "/metrics");
  }
  const std::string port_file = absl::GetFlag(FLAGS_port_file);
  if (!port_file.empty() && !WritePortFile(port_file, (*server)->port())) {
    return Fail(absl::FailedPreconditionError(absl::StrCat("cannot write port file ", port_file)));
  }
  lss::LogEvent(lss::LogLevel::kInfo, "listening")
      .Field("port", (*server)->port())
      .Field("tls", config.tls.cert_file.empty() ? "off" : (config.tls.client_ca_file.empty() ? "tls" : "mtls"))
      .Field("database", config.database.dsn)
      .Field("database_tls", lss::DescribeDatabaseTls(config.database.tls))
      .Field("ka", config.ka_address)
      .Field("ka_tls", config.ka_tls.enabled());

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  lss::LogEvent(lss::LogLevel::kInfo, "shutting_down").Field("signal", signal_number);
  (*server)->Shutdown(absl::GetFlag(FLAGS_shutdown_grace));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "The License Sync Service: keeps billing's licenses in sync with the Key Administrator.");
  std::vector<std::string> args = lss::NormalizeFlagSpelling(argc, argv);
  std::vector<char*> arg_ptrs;
  for (std::string& a : args) arg_ptrs.push_back(a.data());
  absl::ParseCommandLine(static_cast<int>(arg_ptrs.size()), arg_ptrs.data());
  return Run();
}
