#include "storage/dsn.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status/error_details.h"

namespace lss {
namespace {

constexpr absl::string_view kField = "db";
constexpr absl::string_view kExpected =
    "expected \"sqlite:PATH\" or \"mysql://USER@HOST[:PORT]/DATABASE\"";

absl::Status Invalid(absl::string_view why) {
  return InvalidArgumentError(kField, absl::StrCat(why, "; ", kExpected));
}

// Characters allowed in each part. They are deliberately narrow: every part
// ends up inside SOCI's space-separated connect string and (the database
// name) in SQL identifiers, so nothing needs quoting or escaping there.
bool IsUserChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}
bool IsHostChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
}
bool IsDatabaseChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

template <typename Pred>
bool AllOf(absl::string_view text, Pred pred) {
  for (char c : text) {
    if (!pred(c)) return false;
  }
  return true;
}

absl::StatusOr<DataSource> ParseSqlite(absl::string_view path) {
  if (path.empty()) return Invalid("the SQLite path is empty");
  if (path == ":memory:") {
    return Invalid("an in-memory SQLite database cannot be shared by pooled connections");
  }
  // SOCI's SQLite connect string quotes the path with '"' and has no escape.
  if (absl::StrContains(path, '"')) return Invalid("the SQLite path contains '\"'");
  DataSource source;
  source.backend = DatabaseBackend::kSqlite;
  source.sqlite_path = std::string(path);
  return source;
}

absl::StatusOr<DataSource> ParseMysql(absl::string_view rest) {
  const size_t at = rest.find('@');
  if (at == absl::string_view::npos) return Invalid("the MySQL user is missing");
  absl::string_view user = rest.substr(0, at);
  rest.remove_prefix(at + 1);
  if (absl::StrContains(user, ':')) {
    return Invalid(
        "a password does not belong in the DSN (pass it from a file or the environment)");
  }
  if (user.empty() || !AllOf(user, IsUserChar))
    return Invalid("the MySQL user is empty or malformed");

  const size_t slash = rest.find('/');
  if (slash == absl::string_view::npos) return Invalid("the database name is missing");
  absl::string_view host_port = rest.substr(0, slash);
  absl::string_view database = rest.substr(slash + 1);

  absl::string_view host = host_port;
  int port = 3306;
  const size_t colon = host_port.find(':');
  if (colon != absl::string_view::npos) {
    host = host_port.substr(0, colon);
    int32_t parsed = 0;
    if (!absl::SimpleAtoi(host_port.substr(colon + 1), &parsed) || parsed < 1 || parsed > 65535) {
      return Invalid("the port is not a number from 1 to 65535");
    }
    port = parsed;
  }
  if (host.empty() || !AllOf(host, IsHostChar)) return Invalid("the host is empty or malformed");
  // MySQL limits identifiers to 64 characters.
  if (database.empty() || database.size() > 64 || !AllOf(database, IsDatabaseChar)) {
    return Invalid(
        "the database name is empty or malformed (letters, digits, '_', '$'; 64 at most)");
  }

  DataSource source;
  source.backend = DatabaseBackend::kMysql;
  source.mysql_user = std::string(user);
  source.mysql_host = std::string(host);
  source.mysql_port = port;
  source.mysql_database = std::string(database);
  return source;
}

}  // namespace

absl::StatusOr<DataSource> ParseDsn(absl::string_view dsn) {
  if (absl::ConsumePrefix(&dsn, "sqlite:")) return ParseSqlite(dsn);
  if (absl::ConsumePrefix(&dsn, "mysql://")) return ParseMysql(dsn);
  return Invalid("unknown database kind");
}

std::string DescribeDataSource(const DataSource& source) {
  switch (source.backend) {
    case DatabaseBackend::kSqlite:
      return absl::StrCat("sqlite:", source.sqlite_path);
    case DatabaseBackend::kMysql:
      return absl::StrCat("mysql://", source.mysql_user, "@", source.mysql_host, ":",
                          source.mysql_port, "/", source.mysql_database);
  }
  return "unknown";
}

}  // namespace lss
