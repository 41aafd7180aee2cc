// Serves the metrics over HTTP for Prometheus to scrape: GET (or HEAD)
// /metrics answers the text that `render` returns, as text format 0.0.4
// (text/plain; version=0.0.4). Any other path is 404, any other method on
// /metrics 405. Embedded civetweb (Debian's libcivetweb): two worker
// threads, one request per connection, requests over 16 KiB refused, a
// client silent for 10 s dropped; no files are ever served.
//
// Metrics are read-only and hold no secret (counts and latencies by method,
// never a license, key or caller), so unlike the gRPC listener any address
// may be bound, with neither TLS nor tokens; bind loopback unless a scraper
// on another host needs them. IPv4 addresses and "localhost" only: Debian
// builds civetweb without IPv6.
//
// Thread-safe; `render` runs on civetweb's threads, one call per scrape.
// The destructor stops the server, waiting for requests under way.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

struct mg_context;
struct mg_connection;

namespace lss::metrics {

class MetricsHttpServer {
 public:
  // Listens on `address` ("HOST:PORT", port 0: any free port).
  // INVALID_ARGUMENT for an address it cannot bind by its form (a name
  // other than localhost, IPv6, no port); UNAVAILABLE when the bind fails
  // (the port is taken).
  static absl::StatusOr<std::unique_ptr<MetricsHttpServer>> Start(absl::string_view address,
                                                                  std::function<std::string()> render);
  ~MetricsHttpServer();
  MetricsHttpServer(const MetricsHttpServer&) = delete;
  MetricsHttpServer& operator=(const MetricsHttpServer&) = delete;

  // The port bound (useful with port 0).
  int port() const { return port_; }

 private:
  explicit MetricsHttpServer(std::function<std::string()> render) : render_(std::move(render)) {}
  static int Handle(mg_connection* connection, void* self);

  const std::function<std::string()> render_;
  mg_context* context_ = nullptr;
  std::string host_;  // the IPv4 address bound
  int port_ = 0;
};

// civetweb's listening_ports option for `address` ("127.0.0.1:0" as it is,
// "localhost:9090" as "127.0.0.1:9090"). Only an IPv4 address or localhost
// and a port 0-65535 pass, so that nothing reaches civetweb's own option
// syntax (a trailing "s" would ask it for TLS). Exposed for tests.
absl::StatusOr<std::string> ListeningPortsOption(absl::string_view address);

}  // namespace lss::metrics
