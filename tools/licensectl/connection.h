// How licensectl reaches license-server: the channel, the LicenseService
// stub, and what every call carries (a deadline, the bearer token).
#pragma once

#include <memory>
#include <string>

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
};

// The channel's credentials: plaintext today. TLS and mTLS (a later issue)
// plug in here and only here: new fields in ConnectionOptions, read by this
// function.
std::shared_ptr<grpc::ChannelCredentials> MakeChannelCredentials(const ConnectionOptions& options);

// A connection to one license-server. Creating it does not connect: the
// channel connects on the first call, so a bad address shows as that call's
// UNAVAILABLE error. Used from one thread (licensectl runs one command).
class Connection {
 public:
  // A channel to options.address with MakeChannelCredentials(options).
  static std::unique_ptr<Connection> Open(const ConnectionOptions& options);

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
