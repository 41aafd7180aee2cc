#include "server/metrics/metrics_http_server.h"

#include <arpa/inet.h>
#include <civetweb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>
#include <utility>

#include "absl/algorithm/container.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/log/structured_log.h"
#include "server/metrics/text_format.h"

namespace lss::metrics {
namespace {

constexpr absl::string_view kMetricsPath = "/metrics";

// civetweb's own complaints (a client that timed out, say) join the
// server's structured log.
int LogMessage(const mg_connection* /*connection*/, const char* message) {
  LogEvent(LogLevel::kWarning, "metrics_http").Field("message", message);
  return 1;  // logged: civetweb prints nothing more
}

// One whole response; the connection closes after it (civetweb runs with
// keep-alive off).
int Respond(mg_connection* connection, int status, absl::string_view reason, absl::string_view content_type,
            absl::string_view extra_headers, absl::string_view body, bool send_body) {
  const std::string head =
      absl::StrCat("HTTP/1.1 ", status, " ", reason, "\r\nContent-Type: ", content_type,
                   "\r\nContent-Length: ", body.size(), "\r\n", extra_headers, "Connection: close\r\n\r\n");
  mg_write(connection, head.data(), head.size());
  if (send_body) mg_write(connection, body.data(), body.size());
  return status;
}

// Opens and closes a connection to the listener, which wakes civetweb's
// master thread from its poll. Failures do not matter: the poll times out
// on its own.
void Poke(const std::string& host, int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  // Any-address listeners are reached on loopback.
  if (host == "0.0.0.0" || inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  }
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  (void)connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address));
  close(fd);
}

}  // namespace

absl::StatusOr<std::string> ListeningPortsOption(absl::string_view address) {
  const size_t colon = address.rfind(':');
  const auto invalid = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("metrics address \"", address, "\" ", why,
                                                   ": give HOST:PORT, HOST an IPv4 address or "
                                                   "localhost, PORT 0-65535 (0: any free port)"));
  };
  if (colon == absl::string_view::npos) return invalid("has no port");
  std::string host(address.substr(0, colon));
  const absl::string_view port_text = address.substr(colon + 1);
  int port = -1;
  if (port_text.empty() || !absl::c_all_of(port_text, [](char c) { return absl::ascii_isdigit(c); }) ||
      !absl::SimpleAtoi(port_text, &port) || port > 65535) {
    return invalid("has no valid port");
  }
  if (host == "localhost") host = "127.0.0.1";
  in_addr parsed{};
  if (inet_pton(AF_INET, host.c_str(), &parsed) != 1) return invalid("has no IPv4 address or localhost");
  return absl::StrCat(host, ":", port);
}

absl::StatusOr<std::unique_ptr<MetricsHttpServer>> MetricsHttpServer::Start(absl::string_view address,
                                                                            std::function<std::string()> render) {
  absl::StatusOr<std::string> listening_ports = ListeningPortsOption(address);
  if (!listening_ports.ok()) return listening_ports.status();
  std::unique_ptr<MetricsHttpServer> server(new MetricsHttpServer(std::move(render)));

  // Features 0: no TLS, no websockets; civetweb counts initialisations.
  mg_init_library(0);
  // clang-format off
  const char* options[] = {"listening_ports",    listening_ports->c_str(),
                           "num_threads",        "2",
                           "enable_keep_alive",  "no",
                           "max_request_size",   "16384",
                           "request_timeout_ms", "10000",
                           nullptr};
  // clang-format on
  mg_callbacks callbacks{};
  callbacks.log_message = &LogMessage;
  mg_init_data init{};
  init.callbacks = &callbacks;
  init.user_data = server.get();
  init.configuration_options = options;
  char error_text[256] = {};
  mg_error_data error{};
  error.text = error_text;
  error.text_buffer_size = sizeof(error_text);
  server->context_ = mg_start2(&init, &error);
  if (server->context_ == nullptr) {
    mg_exit_library();
    return absl::UnavailableError(absl::StrCat("cannot serve metrics on ", address, ": ",
                                               error_text[0] != '\0' ? error_text : "civetweb failed",
                                               " (is the port taken?)"));
  }
  // "/" is a prefix of every path: one handler decides them all.
  mg_set_request_handler(server->context_, "/", &MetricsHttpServer::Handle, server.get());
  mg_server_port bound{};
  if (mg_get_server_ports(server->context_, 1, &bound) != 1 || bound.port <= 0) {
    return absl::UnavailableError(absl::StrCat("cannot serve metrics on ", address, ": no port bound"));
  }
  server->port_ = bound.port;
  server->host_ = listening_ports->substr(0, listening_ports->rfind(':'));
  return server;
}

MetricsHttpServer::~MetricsHttpServer() {
  if (context_ == nullptr) return;
  // mg_stop() waits for civetweb's master thread, which notices the stop
  // only when its poll of the listener returns: up to 2 s, unless a
  // connection arrives. So connections arrive until it has stopped (the
  // first may come before the stop is asked for, and be served instead).
  absl::Notification stopped;
  std::thread stopper([this, &stopped] {
    mg_stop(context_);
    stopped.Notify();
  });
  while (!stopped.WaitForNotificationWithTimeout(absl::Milliseconds(20))) Poke(host_, port_);
  stopper.join();
  mg_exit_library();
}

int MetricsHttpServer::Handle(mg_connection* connection, void* self) {
  const mg_request_info* request = mg_get_request_info(connection);
  const absl::string_view path = request->local_uri != nullptr ? request->local_uri : "";
  const absl::string_view method = request->request_method != nullptr ? request->request_method : "";
  if (path != kMetricsPath) {
    return Respond(connection, 404, "Not Found", "text/plain; charset=utf-8", "",
                   "not found: the metrics are at /metrics\n", method != "HEAD");
  }
  if (method != "GET" && method != "HEAD") {
    return Respond(connection, 405, "Method Not Allowed", "text/plain; charset=utf-8", "Allow: GET, HEAD\r\n",
                   "method not allowed: GET /metrics\n", true);
  }
  const std::string body = static_cast<MetricsHttpServer*>(self)->render_();
  return Respond(connection, 200, "OK", kTextFormatContentType, "", body, method == "GET");
}

}  // namespace lss::metrics
