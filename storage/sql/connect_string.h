// The SOCI connect string for a data source. It holds the password, so it
// is built at the last moment, handed to SOCI, and never logged or put in a
// Status.
//
// TLS to MySQL (DatabaseTlsOptions) takes two routes, because SOCI 4.0.3's
// MySQL backend knows only part of it. Its `sslca`, `sslcert` and `sslkey`
// reach libmariadb through mysql_ssl_set() (and only when sslca is given,
// hence DatabaseTlsOptions' CA requirement); with a CA, libmariadb checks
// that the server's certificate chains to it. SOCI has no key for
// MYSQL_OPT_SSL_VERIFY_SERVER_CERT, so that one travels inside the host:
// libmariadb 3.3 reads a host holding ';' as a connection string of
// option-file keys ("host=NAME;ssl-verify-server-cert=1"). Without that
// option libmariadb would also fall back to plaintext, silently, against a
// server that offers no TLS; ConnectionPool checks every connection for that
// (storage/sql/session_tls_check.h).
//
// Pure function; thread-safe.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "storage/database_tls.h"
#include "storage/dsn.h"

namespace lss::storage {

// SQLite: db="PATH" (TLS must be off; CheckDatabaseTls refuses it). MySQL:
// db, user, password, host, port, charset and timeouts, plus the TLS files
// when TLS is on, each value quoted for SOCI's parser. The host "localhost"
// becomes 127.0.0.1: libmariadb would otherwise ignore the port and use its
// default UNIX socket (so a verified certificate must name 127.0.0.1).
std::string SociConnectString(const DataSource& source, const DatabaseTlsOptions& tls, absl::string_view password);

}  // namespace lss::storage
