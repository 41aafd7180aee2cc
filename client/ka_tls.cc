#include "client/ka_tls.h"

#include <utility>

#include "absl/status/status.h"
#include "common/tls_files.h"

namespace lss {

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakeKaChannelCredentials(const KaTlsOptions& tls,
                                                                                   grpc::ChannelArguments& args) {
  if (absl::Status pair = CheckCertificatePair("--ka_tls_cert_file", tls.cert_file, "--ka_tls_key_file", tls.key_file);
      !pair.ok()) {
    return pair;
  }
  if (!tls.enabled()) {
    // A name override on a plaintext channel would silently check nothing.
    if (!tls.server_name.empty()) {
      return absl::InvalidArgumentError("--ka_tls_server_name needs --ka_tls_ca_file or --ka_tls_cert_file");
    }
    return grpc::InsecureChannelCredentials();
  }

  grpc::SslCredentialsOptions options;
  if (!tls.ca_file.empty()) {
    absl::StatusOr<std::string> ca = ReadPemFile("--ka_tls_ca_file", tls.ca_file);
    if (!ca.ok()) return ca.status();
    options.pem_root_certs = *std::move(ca);
  }
  if (!tls.cert_file.empty()) {
    absl::StatusOr<std::string> cert = ReadPemFile("--ka_tls_cert_file", tls.cert_file);
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key = ReadPemKeyFile("--ka_tls_key_file", tls.key_file);
    if (!key.ok()) return key.status();
    options.pem_cert_chain = *std::move(cert);
    options.pem_private_key = *std::move(key);
  }
  if (!tls.server_name.empty()) args.SetSslTargetNameOverride(tls.server_name);
  return grpc::SslCredentials(options);
}

}  // namespace lss
