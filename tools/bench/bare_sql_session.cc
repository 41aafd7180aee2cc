#include "bench/bare_sql_session.h"

#include <exception>

#include "absl/strings/str_cat.h"
#include "soci/mysql/soci-mysql.h"
#include "soci/sqlite3/soci-sqlite3.h"

namespace lss::bench {

absl::Status RunSql(absl::string_view what, absl::FunctionRef<void()> body) {
  try {
    body();
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return absl::UnavailableError(absl::StrCat(what, ": ", e.what()));
  }
}

absl::StatusOr<std::unique_ptr<soci::session>> OpenBareSession(const SqlTarget& target) {
  std::unique_ptr<soci::session> session;
  absl::Status opened = RunSql("connecting", [&] {
    if (target.backend == Backend::kSqlite) {
      session = std::make_unique<soci::session>(soci::sqlite3, target.connect);
      *session << "PRAGMA busy_timeout = 5000";
      *session << "PRAGMA journal_mode = WAL";
      *session << "PRAGMA synchronous = NORMAL";
    } else {
      session = std::make_unique<soci::session>(soci::mysql, target.connect);
    }
  });
  if (!opened.ok()) return opened;
  return session;
}

}  // namespace lss::bench
