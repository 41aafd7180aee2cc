#include "server/app/listen_policy.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/error_details.h"

namespace lss {
namespace {

// The host part of HOST:PORT, [V6]:PORT or a bare host.
absl::string_view HostOf(absl::string_view listen) {
  if (absl::StartsWith(listen, "[")) {
    const size_t close = listen.find(']');
    return close == absl::string_view::npos ? listen : listen.substr(1, close - 1);
  }
  const size_t colon = listen.rfind(':');
  // More than one colon without brackets is a bare IPv6 address.
  if (colon == absl::string_view::npos || listen.find(':') != colon) return listen;
  return listen.substr(0, colon);
}

}  // namespace

bool IsLoopbackListen(absl::string_view listen) { return IsLoopbackHost(HostOf(listen)); }

bool IsLoopbackHost(absl::string_view bare_host) {
  const std::string host = absl::AsciiStrToLower(bare_host);
  if (host == "localhost" || host == "::1") return true;
  // 127.0.0.0/8, written as a dotted quad.
  if (!absl::StartsWith(host, "127.")) return false;
  int dots = 0;
  for (char c : host) {
    if (c == '.') {
      ++dots;
    } else if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return dots == 3;
}

absl::Status CheckListenPolicy(absl::string_view listen, bool tls, bool tokens, bool allow_insecure) {
  if (IsLoopbackListen(listen) || (tls && tokens) || allow_insecure) return absl::OkStatus();
  std::vector<std::string> missing;
  if (!tls) missing.push_back("TLS (--tls_cert_file, --tls_key_file)");
  if (!tokens) missing.push_back("bearer tokens (--auth_tokens_file)");
  return WithReason(
      absl::FailedPreconditionError(absl::StrCat(
          "refusing to listen on ", listen, ", which is not loopback, without ", absl::StrJoin(missing, " and "),
          ": other machines could read and change licenses. Add them, listen on 127.0.0.1, or pass "
          "--allow_insecure_listen to accept the risk")),
      "INSECURE_LISTEN");
}

}  // namespace lss
