#include "server/app/ka_link_policy.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"
#include "server/app/listen_policy.h"

namespace lss {
namespace {

// HOST:PORT of a gRPC target: without its scheme and, for dns, authority.
absl::string_view HostPortOf(absl::string_view target) {
  for (absl::string_view scheme : {"dns:///", "dns:", "ipv4:", "ipv6:"}) {
    if (absl::StartsWith(target, scheme)) {
      target.remove_prefix(scheme.size());
      break;
    }
  }
  if (absl::StartsWith(target, "//")) {  // dns://AUTHORITY/HOST:PORT
    const size_t slash = target.find('/', 2);
    if (slash != absl::string_view::npos) target.remove_prefix(slash + 1);
  }
  return target;
}

}  // namespace

absl::Status CheckKaLinkPolicy(absl::string_view ka_address, bool tls, bool allow_insecure) {
  // A unix socket never leaves the machine.
  if (absl::StartsWith(ka_address, "unix:")) return absl::OkStatus();
  if (tls || allow_insecure || IsLoopbackListen(HostPortOf(ka_address))) return absl::OkStatus();
  return WithReason(
      absl::FailedPreconditionError(absl::StrCat(
          "refusing to call KA at ", ka_address,
          ", which is not loopback, without TLS: the KA login and password would cross the network in "
          "the clear on every call. Give --ka_tls_ca_file (and --ka_tls_cert_file/--ka_tls_key_file for "
          "mutual TLS), or pass --allow_insecure_ka to accept the risk")),
      "INSECURE_KEY_ADMINISTRATOR");
}

}  // namespace lss
