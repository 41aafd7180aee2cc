// Secure by default toward KA too (issue 15): the KA partner login and
// password travel as metadata on every call, so a KA that is not on this
// machine is spoken to over TLS only, unless the operator accepts the risk
// (--allow_insecure_ka). Pure; thread-safe.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace lss {

// `ka_address` is a gRPC target: HOST:PORT, or with a scheme (dns:///HOST:PORT,
// ipv4:HOST:PORT, ipv6:[HOST]:PORT). FAILED_PRECONDITION (reason
// INSECURE_KEY_ADMINISTRATOR) when it is not loopback and neither `tls` nor
// `allow_insecure` holds.
absl::Status CheckKaLinkPolicy(absl::string_view ka_address, bool tls, bool allow_insecure);

}  // namespace lss
