// TLS on the link to a MySQL/MariaDB server: the CA the server's
// certificate must chain to, the certificate this service presents (for
// accounts created REQUIRE X509), and whether the server's certificate must
// also name the host of the DSN. The settings are named after
// license-server's flags (--db_tls_*), and the errors name those flags.
//
// Pure value and functions; thread-safe.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "storage/dsn.h"

namespace lss {

// Every member has a default initializer, so that designated initializers
// naming only some compile cleanly under -Wextra.
struct DatabaseTlsOptions {
  // PEM bundle of the CAs trusted to sign the server's certificate. Required
  // whenever TLS is on: SOCI's MySQL backend hands libmariadb a client
  // certificate only together with a CA, and a private database server's
  // certificate rarely chains to the system's roots anyway.
  std::string ca_file = {};
  // This service's certificate chain and key (both or neither).
  std::string cert_file = {};
  std::string key_file = {};
  // Besides the chain (always checked against ca_file), the server's
  // certificate must name the host of the DSN (subjectAltName DNS or IP).
  // This is also what makes libmariadb refuse, during the handshake, a
  // server that offers no TLS (see storage/sql/connect_string.h).
  bool verify_server_cert = true;

  // TLS is on when any file is named.
  bool enabled() const { return !ca_file.empty() || !cert_file.empty() || !key_file.empty(); }
};

// Checks the settings before anything connects: OK when TLS is off.
// INVALID_ARGUMENT for TLS settings with an SQLite database, half a
// certificate pair, or a certificate without --db_tls_ca_file;
// FAILED_PRECONDITION for a file that cannot be read or holds no PEM block.
// Errors name the flag and the path, never a file's contents.
absl::Status CheckDatabaseTls(const DatabaseTlsOptions& tls, DatabaseBackend backend);

// "off", "verify-ca" (the chain only) or "verify-identity" (the chain and
// the host name), after MySQL's ssl-mode names: safe for logs.
const char* DescribeDatabaseTls(const DatabaseTlsOptions& tls);

}  // namespace lss
