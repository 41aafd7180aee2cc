// How licensectl reaches license-server: the channel, the LicenseService
// stub, and what every call carries (a deadline, the bearer token).
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "licensing/v1/license_service.grpc.pb.h"

namespace licensectl {

// Where and how to connect, as the global options resolved them.
struct ConnectionOptions {
  // HOST:PORT, or any gRPC target name.
  std::string address;
  // Sent as "authorization: Bearer TOKEN"; empty sends no authorization.
  std::string token;
  // Every call's deadline, counted from its start.
  absl::Duration timeout = absl::Seconds(30);
  // TLS, on when a CA or a client certificate is named: the PEM CA bundle
  // the server's certificate must chain to (empty: gRPC's default roots),
  // and for mutual TLS the client's certificate chain and key (both or
  // neither). All empty: plaintext.
  std::string tls_ca_file;
  std::string tls_cert_file;
  std::string tls_key_file;

  // Whether the responses become text (not --json): the channel then
  // makes every string in them printable as it arrives
  // (terminal_safe_responses.h).
  bool responses_shown_as_text = true;

  bool uses_tls() const { return !tls_ca_file.empty() || !tls_cert_file.empty(); }
};

// The channel's credentials: plaintext, TLS or mutual TLS, read from the
// files the options name. FAILED_PRECONDITION naming the option and the
// file when one cannot be read (never a file's contents).
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakeChannelCredentials(
    const ConnectionOptions& options);

// A connection to one license-server. Creating it does not connect: the
// channel connects on the first call, so a bad address shows as that call's
// UNAVAILABLE error. Used from one thread (licensectl runs one command).
class Connection {
 public:
  // A channel to options.address with MakeChannelCredentials(options) and
  // the interceptor of terminal_safe_responses.h, or
  // MakeChannelCredentials's error.
  static absl::StatusOr<std::unique_ptr<Connection>> Open(const ConnectionOptions& options);

  // Over any channel (tests may pass an in-process one).
  Connection(std::shared_ptr<grpc::Channel> channel, ConnectionOptions options);

  licensing::v1::LicenseService::StubInterface& service() { return *stub_; }

  // A context for one call: its deadline (now + timeout) and the
  // authorization metadata. A context serves one call only (gRPC's rule).
  std::unique_ptr<grpc::ClientContext> NewCallContext() const;

  const ConnectionOptions& options() const { return options_; }

 private:
  ConnectionOptions options_;
  std::unique_ptr<licensing::v1::LicenseService::StubInterface> stub_;
};

}  // namespace licensectl
