// TestCertificates: a small PKI for TLS tests, made afresh by the `openssl`
// command line in a folder of the test's, so that no key is ever checked in
// and none outlives the test:
//   - a CA, and signed by it a server certificate for 127.0.0.1 and
//     localhost (subjectAltName IP:127.0.0.1, DNS:localhost), a client
//     certificate, and a server certificate for another name only
//     (DNS:db.example.invalid), for the checks of the server's name;
//   - a second, unrelated CA with a client certificate of its own, for the
//     "wrong CA" cases (a client that trusts it rejects the server; a server
//     that trusts the first CA rejects its client).
// Keys are EC P-256 (quick to make), unencrypted PEM; certificates last a
// week. openssl's output is appended to "<dir>/openssl.log".
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace lss::harness {

// Paths of PEM files.
struct TestCertificates {
  std::string ca_cert;
  std::string server_cert;
  std::string server_key;
  std::string client_cert;
  std::string client_key;
  // Signed by ca_cert, but naming neither 127.0.0.1 nor localhost.
  std::string misnamed_server_cert;
  std::string misnamed_server_key;
  std::string wrong_ca_cert;
  std::string wrong_client_cert;  // signed by wrong_ca_cert
  std::string wrong_client_key;

  // Makes them all in `dir` (an existing folder, e.g. a TempDir's). An
  // error names the openssl step that failed and ends with its log. Runs
  // child processes: call it from the test's thread.
  static absl::StatusOr<TestCertificates> Create(const std::string& dir);
};

}  // namespace lss::harness
