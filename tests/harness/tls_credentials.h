// TlsChannelCredentials: how a test client speaks TLS to one of our servers
// started with TLS flags (see test_certificates.h for the files).
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/security/credentials.h"

namespace lss::harness {

// Trusts the CAs in the PEM file `ca_file`; presents `cert_file` and
// `key_file` when both are given (mutual TLS). An error names the file
// that cannot be read. Thread-safe.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> TlsChannelCredentials(
    const std::string& ca_file, const std::string& cert_file = "",
    const std::string& key_file = "");

}  // namespace lss::harness
