// The credentials of license-server's listener: plaintext, TLS, or mutual
// TLS, from the PEM files that --tls_cert_file, --tls_key_file and
// --tls_client_ca_file name.
#pragma once

#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace lss {

struct ServerTlsFiles {
  // The server's certificate chain and its private key (both or neither;
  // neither: plaintext).
  std::string cert_file = {};
  std::string key_file = {};
  // Mutual TLS: every client must present a certificate signed by a CA in
  // this bundle. Empty: clients present none.
  std::string client_ca_file = {};
};

// Plaintext credentials when no file is named. Errors (half a pair, a CA
// without a certificate, a file that cannot be read) name the flag and the
// file, never a file's contents. Thread-safe.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(const ServerTlsFiles& files);

}  // namespace lss
