#include "storage/sql/connect_string.h"

#include "absl/strings/str_cat.h"

namespace lss::storage {
namespace {

// SOCI's MySQL parser reads 'value' with backslash escapes.
std::string Quoted(absl::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += '\'';
  return out;
}

// The host SOCI passes to mysql_real_connect(). ParseDsn allows only
// letters, digits, '-' and '.' in a host, so nothing in it can end or
// escape a libmariadb connection-string value (';', '{', '}', '=').
std::string HostArgument(const DataSource& source, const DatabaseTlsOptions& tls) {
  const std::string host = source.mysql_host == "localhost" ? "127.0.0.1" : source.mysql_host;
  if (!tls.enabled() || !tls.verify_server_cert) return host;
  return absl::StrCat("host=", host, ";ssl-verify-server-cert=1");
}

std::string TlsFiles(const DatabaseTlsOptions& tls) {
  if (!tls.enabled()) return "";
  std::string out = absl::StrCat(" sslca=", Quoted(tls.ca_file));
  if (!tls.cert_file.empty()) absl::StrAppend(&out, " sslcert=", Quoted(tls.cert_file));
  if (!tls.key_file.empty()) absl::StrAppend(&out, " sslkey=", Quoted(tls.key_file));
  return out;
}

}  // namespace

std::string SociConnectString(const DataSource& source, const DatabaseTlsOptions& tls, absl::string_view password) {
  if (source.backend == DatabaseBackend::kSqlite) {
    // ParseDsn refuses paths holding '"', which SOCI cannot escape.
    return absl::StrCat("db=\"", source.sqlite_path, "\"");
  }
  return absl::StrCat("db=", Quoted(source.mysql_database), " user=", Quoted(source.mysql_user),
                      " password=", Quoted(password), " host=", Quoted(HostArgument(source, tls)),
                      " port=", source.mysql_port,
                      // utf8mb4: the tables' charset; a 3-byte utf8 session
                      // would reject 4-byte characters.
                      " charset=utf8mb4",
                      // A dead or frozen server fails calls instead of
                      // hanging them. Reads may legitimately wait on row
                      // locks (innodb_lock_wait_timeout, 50 s by default) and
                      // the migration lock (60 s), so the read timeout sits
                      // above both.
                      " connect_timeout=10 read_timeout=120 write_timeout=120", TlsFiles(tls));
}

}  // namespace lss::storage
