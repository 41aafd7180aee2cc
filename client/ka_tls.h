// TLS on the channel to the Key Administrator: which CA KA's certificate
// must chain to, the certificate this service presents for mutual TLS, and
// the name KA's certificate must carry when it is not the target's host.
// The settings are named after license-server's flags (--ka_tls_*), and the
// errors name those flags.
#pragma once

#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace lss {

// Every member has a default initializer, so that designated initializers
// naming only some compile cleanly under -Wextra.
struct KaTlsOptions {
  // PEM bundle of the CAs trusted to sign KA's certificate. Empty, with TLS
  // on: gRPC's default roots.
  std::string ca_file = {};
  // This service's certificate chain and key, for KA's mutual TLS (both or
  // neither).
  std::string cert_file = {};
  std::string key_file = {};
  // The name checked against KA's certificate instead of the target's host
  // (tests, or KA reached through an address its certificate does not name).
  std::string server_name = {};

  // TLS is on when a CA or a client certificate is named.
  bool enabled() const { return !ca_file.empty() || !cert_file.empty() || !key_file.empty(); }
};

// The channel credentials for `tls` (plaintext when !tls.enabled()), and
// the server-name override set on `args`. Errors name the flag and the file,
// never a file's contents. Thread-safe.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakeKaChannelCredentials(const KaTlsOptions& tls,
                                                                                   grpc::ChannelArguments& args);

}  // namespace lss
