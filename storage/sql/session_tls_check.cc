#include "storage/sql/session_tls_check.h"

#include <errmsg.h>

#include "soci/mysql/soci-mysql.h"
#include "soci/soci.h"

namespace lss::storage {

void CheckSessionTls(soci::session& session, const DatabaseTlsOptions& tls) {
  if (!tls.enabled()) return;
  // static_cast: libsoci_mysql exports no type information for its session
  // backend, so dynamic_cast cannot link; the caller vouches for MySQL.
  MYSQL* connection = static_cast<soci::mysql_session_backend*>(session.get_backend())->conn_;
  if (mysql_get_ssl_cipher(connection) == nullptr) {
    throw soci::mysql_soci_error(
        "the connection to the database is not encrypted: the server offered no TLS, and libmariadb continued in "
        "plaintext (it refuses that itself only with --db_tls_verify_server_cert); refusing to use it",
        CR_SSL_CONNECTION_ERROR);
  }
  if (tls.verify_server_cert) {
    my_bool verifies = 0;
    if (mysql_get_optionv(connection, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verifies) != 0 || verifies == 0) {
      throw soci::mysql_soci_error(
          "libmariadb did not take ssl-verify-server-cert, so the server's certificate was not checked against the "
          "host name; refusing the connection (pass --db_tls_verify_server_cert=false to check the chain only)",
          CR_SSL_CONNECTION_ERROR);
    }
  }
}

}  // namespace lss::storage
