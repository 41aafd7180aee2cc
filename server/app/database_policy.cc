#include "server/app/database_policy.h"

#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"
#include "server/app/listen_policy.h"

namespace lss {

absl::Status CheckDatabasePolicy(const DataSource& source, bool tls, bool allow_insecure) {
  if (source.backend != DatabaseBackend::kMysql || IsLoopbackHost(source.mysql_host) || tls || allow_insecure) {
    return absl::OkStatus();
  }
  return WithReason(
      absl::FailedPreconditionError(absl::StrCat(
          "refusing to connect to the database at ", source.mysql_host, ":", source.mysql_port,
          ", which is not loopback, without TLS: the login and every license would cross the network in "
          "plaintext. Add --db_tls_ca_file (the CA of the server's certificate), use a database on 127.0.0.1, or "
          "pass --allow_insecure_db to accept the risk")),
      "INSECURE_DATABASE");
}

}  // namespace lss
