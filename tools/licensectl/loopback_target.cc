#include "licensectl/loopback_target.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace licensectl {
namespace {

bool IsLoopbackIp(absl::string_view host) {
  const std::string text(host);
  in_addr v4 = {};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6 = {};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    return IN6_IS_ADDR_LOOPBACK(&v6) || (IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127);
  }
  return false;
}

// The host of "HOST:PORT", "[HOST]:PORT", "HOST", "[HOST]" or a bare IPv6
// address, split as gRPC splits it (more than one colon and no brackets:
// all of it is the host). "" when malformed.
absl::string_view HostOf(absl::string_view host_port) {
  if (absl::ConsumePrefix(&host_port, "[")) {
    const size_t close = host_port.find(']');
    if (close == absl::string_view::npos) return "";
    const absl::string_view rest = host_port.substr(close + 1);
    if (!rest.empty() && rest[0] != ':') return "";
    return host_port.substr(0, close);
  }
  const size_t colon = host_port.find(':');
  if (colon == absl::string_view::npos || host_port.find(':', colon + 1) != absl::string_view::npos) {
    return host_port;
  }
  return host_port.substr(0, colon);
}

}  // namespace

bool IsLoopbackTarget(absl::string_view target) {
  if (absl::StartsWith(target, "unix:") || absl::StartsWith(target, "unix-abstract:")) return true;

  // ipv4: and ipv6: list addresses, comma-separated; gRPC may pick any.
  if (absl::ConsumePrefix(&target, "ipv4:") || absl::ConsumePrefix(&target, "ipv6:")) {
    if (target.empty()) return false;
    for (absl::string_view address : absl::StrSplit(target, ',')) {
      if (!IsLoopbackIp(HostOf(address))) return false;
    }
    return true;
  }

  // gRPC reads any other target as dns:///TARGET. A DNS server named in
  // the target (dns://SERVER/NAME) may answer anything for "localhost", so
  // then only an IP address counts.
  bool names_dns_server = false;
  if (absl::ConsumePrefix(&target, "dns:") && absl::ConsumePrefix(&target, "//")) {
    const size_t slash = target.find('/');
    if (slash == absl::string_view::npos) return false;
    names_dns_server = slash > 0;
    target.remove_prefix(slash + 1);
  }
  const absl::string_view host = HostOf(target);
  if (absl::EqualsIgnoreCase(host, "localhost")) return !names_dns_server;
  return IsLoopbackIp(host);
}

}  // namespace licensectl
