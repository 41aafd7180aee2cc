#include "storage/database_tls.h"

#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "common/tls_files.h"

namespace lss {

absl::Status CheckDatabaseTls(const DatabaseTlsOptions& tls, DatabaseBackend backend) {
  if (!tls.enabled()) return absl::OkStatus();
  // A TLS flag that silently did nothing would leave the operator believing
  // in an encryption that does not exist.
  if (backend != DatabaseBackend::kMysql) {
    return absl::InvalidArgumentError("--db_tls_* apply to a mysql:// database only, not to SQLite");
  }
  if (absl::Status pair = CheckCertificatePair("--db_tls_cert_file", tls.cert_file, "--db_tls_key_file", tls.key_file);
      !pair.ok()) {
    return pair;
  }
  if (tls.ca_file.empty()) {
    return absl::InvalidArgumentError(
        "--db_tls_cert_file and --db_tls_key_file need --db_tls_ca_file, the CA that the database server's "
        "certificate must chain to");
  }
  // libmariadb reads the files itself when it connects, and names neither
  // the setting nor the file when one is missing: read them here first.
  // The contents are dropped at once.
  const std::pair<const char*, const std::string*> files[] = {{"--db_tls_ca_file", &tls.ca_file},
                                                              {"--db_tls_cert_file", &tls.cert_file}};
  for (const auto& [setting, path] : files) {
    if (path->empty()) continue;
    if (absl::StatusOr<std::string> pem = ReadPemFile(setting, *path); !pem.ok()) return pem.status();
  }
  // The key is a secret: refused when others may read it, as the
  // listener's and KA's keys are (common/file_permissions.h).
  if (!tls.key_file.empty()) {
    if (absl::StatusOr<std::string> key = ReadPemKeyFile("--db_tls_key_file", tls.key_file); !key.ok()) {
      return key.status();
    }
  }
  return absl::OkStatus();
}

const char* DescribeDatabaseTls(const DatabaseTlsOptions& tls) {
  if (!tls.enabled()) return "off";
  return tls.verify_server_cert ? "verify-identity" : "verify-ca";
}

}  // namespace lss
