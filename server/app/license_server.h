// The license-server process assembled: database, KA client, worker pool,
// domain services, the gRPC server with reflection and health, and the
// health monitor. main.cc turns flags into a LicenseServerConfig; tests may
// build one directly.
//
// Start() returns a serving server; Shutdown() stops it (idempotent).
// Thread-safe.
#pragma once

#include <grpcpp/server.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "client/ka_credentials.h"
#include "client/ka_tls.h"
#include "server/app/server_tls.h"
#include "server/app/transport_limits.h"
#include "server/jobs/progress_hub.h"
#include "server/runtime/call_admission.h"
#include "server/rpc/call_log.h"
#include "storage/database.h"

namespace lss {

struct LicenseServerConfig {
  std::string listen = "127.0.0.1:50051";
  // TLS or mutual TLS on the listener; no files: plaintext.
  ServerTlsFiles tls;
  // Bearer tokens (server/auth/token_file.h); empty: no authentication,
  // which only a loopback listener allows unless allow_insecure_listen.
  std::string auth_tokens_file;
  bool allow_insecure_listen = false;
  // The largest request accepted; larger ones get RESOURCE_EXHAUSTED.
  int max_message_bytes = 4 * 1024 * 1024;
  // The database, with TLS to MySQL in database.tls. A MySQL host off
  // loopback without TLS is refused unless allow_insecure_db
  // (database_policy.h).
  DatabaseOptions database;
  bool allow_insecure_db = false;
  std::string ka_address = "127.0.0.1:50052";
  KaCredentials ka_credentials;
  // TLS to KA (its server_name is for tests); disabled: plaintext, which
  // only a loopback KA allows unless allow_insecure_ka.
  KaTlsOptions ka_tls;
  bool allow_insecure_ka = false;
  absl::Duration ka_deadline = absl::Seconds(5);
  int ka_max_in_flight = 64;
  // Threads running blocking database work.
  int worker_threads = 16;
  // What callers may make the server hold: calls in progress and the work
  // queue (refused beyond with RESOURCE_EXHAUSTED), watchers per job and
  // per caller, and what each connection may hold of gRPC.
  AdmissionLimits admission;
  WatcherLimits watchers;
  TransportLimits transport;
  // Refused calls of one caller, method and reason within this long are
  // one audit event with their count.
  absl::Duration audit_refusal_window = absl::Minutes(1);
  absl::Duration health_interval = absl::Seconds(2);
  // SyncAll: this replica's name on chunk leases (empty: host:pid:random),
  // lease length, how often an idle replica looks for work, how often
  // progress is published, how often a paused job probes KA, chunk size.
  std::string replica_id;
  absl::Duration sync_lease = absl::Seconds(30);
  absl::Duration sync_poll_interval = absl::Seconds(1);
  absl::Duration progress_interval = absl::Seconds(1);
  absl::Duration ka_probe_interval = absl::Seconds(1);
  int64_t sync_chunk_size = 500;
  // A SyncAll of every license reads KA's account through ListKeys pages.
  bool sync_bulk = true;
  int ka_page_size = 1000;  // keys per ListKeys page
  // The daily run: its UTC time of day (unset: this replica never starts
  // one), how often the replica looks whether it is due, and how long sync
  // history, audit events and finished jobs are kept. Its lease is
  // sync_lease; its sync phase looks at its job every sync_poll_interval.
  absl::optional<absl::Duration> daily_at = absl::Hours(2);
  absl::Duration daily_check_interval = absl::Minutes(1);
  absl::Duration history_retention = absl::Hours(24 * 90);
  absl::Duration audit_retention = absl::Hours(24 * 365);
  absl::Duration job_retention = absl::Hours(24 * 30);
  // Testing only: the server's clock runs this far ahead of (or behind) the
  // wall clock, so that tests reach a daily run, a renewal or an expiry
  // without waiting. Replicas given the same offset agree on the time.
  absl::Duration clock_offset = absl::ZeroDuration();
  // The upgrade wizard: the price catalogue file (empty: PriceUpgrade
  // fails), the sessions' time to live after their last step, and how often
  // abandoned placements and timed-out sessions are swept. A placement's
  // claim lasts sync_lease.
  std::string price_catalogue;
  absl::Duration upgrade_ttl = absl::Minutes(30);
  absl::Duration upgrade_sweep_interval = absl::Seconds(5);
  // Testing only: see OrderPlacementOptions::crash_after_ka_upgrade.
  bool test_crash_after_ka_upgrade = false;
  // Which calls get a line in the call log (server/rpc/call_log.h).
  CallLogging call_logging = CallLogging::kAll;
  // HOST:PORT serving GET /metrics for Prometheus (port 0: any free port);
  // empty: metrics are kept but not served. See
  // server/metrics/metrics_http_server.h for what any address exposes.
  std::string metrics_address;
};

class LicenseServer {
 public:
  static absl::StatusOr<std::unique_ptr<LicenseServer>> Start(const LicenseServerConfig& config);
  virtual ~LicenseServer() = default;

  // The port bound (useful with port 0).
  virtual int port() const = 0;
  // The port serving /metrics; 0 when metrics_address is empty.
  virtual int metrics_port() const = 0;

  // In-flight calls get `grace`, then are cancelled.
  virtual void Shutdown(absl::Duration grace) = 0;
};

}  // namespace lss
