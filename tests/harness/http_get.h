// A tiny HTTP/1.1 client for tests of HTTP endpoints on this machine (the
// license-server's /metrics): one request over a fresh connection with
// "Connection: close", the response read to the end. No TLS, no chunked
// bodies, no redirects: just enough to scrape a server the test started.
//
// Thread-safe (no shared state); blocking, bounded by `timeout`.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace lss::harness {

struct HttpResponse {
  int status = 0;
  // In the order received, names as sent.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The first header of that name (case-insensitive); "" when absent.
  std::string Header(absl::string_view name) const;
};

// `method` `path` on HOST:PORT (an IPv4 address or a name such as
// localhost). UNAVAILABLE when nothing answers, DEADLINE_EXCEEDED past
// `timeout`, INTERNAL for an answer that is not HTTP.
absl::StatusOr<HttpResponse> HttpRequest(absl::string_view method, absl::string_view host, int port,
                                         absl::string_view path, absl::Duration timeout = absl::Seconds(10));

inline absl::StatusOr<HttpResponse> HttpGet(absl::string_view host, int port, absl::string_view path,
                                            absl::Duration timeout = absl::Seconds(10)) {
  return HttpRequest("GET", host, port, path, timeout);
}

}  // namespace lss::harness
