#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/security/server_credentials.h"

namespace ka_mock {

// The PEM files named by --tls_cert_file, --tls_key_file and
// --tls_client_ca_file.
struct TlsFiles {
  std::string cert_file = {};  // with key_file: TLS; neither: plaintext
  std::string key_file = {};
  std::string client_ca_file = {};  // mutual TLS: clients need a certificate it signed
};

// The listener's credentials: plaintext without files, TLS with a
// certificate and key, mutual TLS with a client CA too. Errors name the
// flag and the file, never a file's contents. (license-server has its own
// reader: the mock shares no code with it.)
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TlsFiles& files);

}  // namespace ka_mock
