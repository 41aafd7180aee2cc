#include "licensectl/connection.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "licensectl/terminal_safe_responses.h"

namespace licensectl {

namespace {

// The PEM file at `path`; the error names `option` and the file. licensectl
// shares no code with the server, so it has its own reader.
absl::StatusOr<std::string> ReadPemFile(absl::string_view option, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read ", option, " ", path, ": ", std::strerror(errno)));
  }
  std::stringstream text;
  text << in.rdbuf();
  // gRPC would accept anything here and fail every call with a TLS error
  // that names no file.
  if (!absl::StrContains(text.str(), "-----BEGIN ")) {
    return absl::FailedPreconditionError(absl::StrCat(option, " ", path, " holds no PEM block"));
  }
  return text.str();
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakeChannelCredentials(
    const ConnectionOptions& options) {
  if (!options.uses_tls()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions ssl;
  if (!options.tls_ca_file.empty()) {
    absl::StatusOr<std::string> ca = ReadPemFile("--tls-ca-file", options.tls_ca_file);
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *std::move(ca);
  }
  if (!options.tls_cert_file.empty()) {
    absl::StatusOr<std::string> cert = ReadPemFile("--tls-cert-file", options.tls_cert_file);
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key = ReadPemFile("--tls-key-file", options.tls_key_file);
    if (!key.ok()) return key.status();
    ssl.pem_cert_chain = *std::move(cert);
    ssl.pem_private_key = *std::move(key);
  }
  return grpc::SslCredentials(ssl);
}

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(const ConnectionOptions& options) {
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials = MakeChannelCredentials(options);
  if (!credentials.ok()) return credentials.status();
  grpc::ChannelArguments arguments;
  // Lets the server's logs tell licensectl's calls from other clients'.
  arguments.SetUserAgentPrefix("licensectl");
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(MakeTerminalSafeInterceptorFactory(options.responses_shown_as_text));
  std::shared_ptr<grpc::Channel> channel = grpc::experimental::CreateCustomChannelWithInterceptors(
      options.address, *std::move(credentials), arguments, std::move(interceptors));
  return std::make_unique<Connection>(std::move(channel), options);
}

Connection::Connection(std::shared_ptr<grpc::Channel> channel, ConnectionOptions options)
    : options_(std::move(options)),
      stub_(licensing::v1::LicenseService::NewStub(std::move(channel))) {}

std::unique_ptr<grpc::ClientContext> Connection::NewCallContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + options_.timeout));
  if (!options_.token.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", options_.token));
  }
  return context;
}

}  // namespace licensectl
