// The check ConnectionPool runs on every MySQL connection it opens with TLS
// on: is it encrypted, and did libmariadb take the verification it was
// asked for? Both are client-side facts (libmariadb's own state, not
// anything the server says), so a man in the middle cannot fake them.
//
// Why it is needed: libmariadb 3.3 (plugins/auth/my_auth.c) continues in
// plaintext when the server's greeting offers no TLS, unless it was told to
// verify the server's certificate; a connection made with
// --db_tls_verify_server_cert=false is then refused here, after the login
// but before any statement. And libmariadb ignores unknown keys of the
// host's connection string (storage/sql/connect_string.h), so the check
// confirms that ssl-verify-server-cert took effect.
//
// Thread-compatible: call it on a session the caller holds.
#pragma once

#include "storage/database_tls.h"

namespace soci {
class session;
}  // namespace soci

namespace lss::storage {

// Does nothing when TLS is off. Otherwise throws soci::mysql_soci_error with
// CR_SSL_CONNECTION_ERROR, the number libmariadb gives its own TLS
// failures, so that database_errors.h classifies both alike. `session` must
// be an open session of SOCI's MySQL backend.
void CheckSessionTls(soci::session& session, const DatabaseTlsOptions& tls);

}  // namespace lss::storage
