#include "storage/sql/database_errors.h"

#include <exception>
#include <new>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"
#include "soci/mysql/soci-mysql.h"
#include "soci/soci.h"
#include "soci/sqlite3/soci-sqlite3.h"
#include "storage/license_repository.h"

namespace lss::storage {
namespace {

// MySQL/MariaDB error numbers (server ER_* and client CR_* codes).
DatabaseErrorKind KindOfMysqlError(unsigned int code) {
  switch (code) {
    case 1062:  // ER_DUP_ENTRY
    case 1586:  // ER_DUP_ENTRY_WITH_KEY_NAME
      return DatabaseErrorKind::kDuplicateKey;
    case 1213:  // ER_LOCK_DEADLOCK
      return DatabaseErrorKind::kDeadlock;
    case 1040:  // ER_CON_COUNT_ERROR: too many connections
    case 1044:  // ER_DBACCESS_DENIED_ERROR
    case 1045:  // ER_ACCESS_DENIED_ERROR
    case 1049:  // ER_BAD_DB_ERROR: unknown database
    case 1053:  // ER_SERVER_SHUTDOWN
    case 1152:  // ER_ABORTING_CONNECTION
    case 1205:  // ER_LOCK_WAIT_TIMEOUT: rerunning would wait as long again
    case 1927:  // ER_CONNECTION_KILLED
    case 2002:  // CR_CONNECTION_ERROR
    case 2003:  // CR_CONN_HOST_ERROR
    case 2005:  // CR_UNKNOWN_HOST
    case 2006:  // CR_SERVER_GONE_ERROR
    case 2013:  // CR_SERVER_LOST
    // The TLS handshake failed (a certificate that does not verify, a
    // server offering no TLS): like a refused login, the server cannot be
    // used until someone fixes it, and health must say so.
    case 2026:  // CR_SSL_CONNECTION_ERROR
    case 2055:  // CR_SERVER_LOST_EXTENDED
      return DatabaseErrorKind::kUnavailable;
    default:
      return DatabaseErrorKind::kOther;
  }
}

// SQLite primary result codes (SOCI does not enable extended codes).
DatabaseErrorKind KindOfSqliteError(int code, absl::string_view message) {
  switch (code) {
    case 5:   // SQLITE_BUSY: busy_timeout already waited for the lock
    case 6:   // SQLITE_LOCKED
    case 10:  // SQLITE_IOERR
    case 13:  // SQLITE_FULL
    case 14:  // SQLITE_CANTOPEN
      return DatabaseErrorKind::kUnavailable;
    case 19:  // SQLITE_CONSTRAINT: also NOT NULL, CHECK and FOREIGN KEY
      return absl::StrContains(message, "UNIQUE constraint failed")
                 ? DatabaseErrorKind::kDuplicateKey
                 : DatabaseErrorKind::kOther;
    default:
      return DatabaseErrorKind::kOther;
  }
}

}  // namespace

DatabaseError ClassifyCurrentException() {
  try {
    throw;
  } catch (const soci::mysql_soci_error& e) {
    return {KindOfMysqlError(e.err_num_), e.get_error_message()};
  } catch (const soci::sqlite3_soci_error& e) {
    return {KindOfSqliteError(e.result(), e.get_error_message()), e.get_error_message()};
  } catch (const soci::soci_error& e) {
    const DatabaseErrorKind kind = e.get_error_category() == soci::soci_error::connection_error
                                       ? DatabaseErrorKind::kUnavailable
                                       : DatabaseErrorKind::kOther;
    return {kind, e.get_error_message()};
  } catch (const std::bad_alloc&) {
    return {DatabaseErrorKind::kOther, "out of memory"};
  } catch (const std::exception& e) {
    return {DatabaseErrorKind::kOther, e.what()};
  } catch (...) {
    return {DatabaseErrorKind::kOther, "unknown exception"};
  }
}

absl::Status DatabaseErrorStatus(const DatabaseError& error, absl::string_view action) {
  const std::string message = absl::StrCat(action, ": ", error.message);
  switch (error.kind) {
    case DatabaseErrorKind::kUnavailable:
    case DatabaseErrorKind::kDeadlock:
      return WithReason(absl::UnavailableError(message), kReasonDatabaseUnavailable);
    case DatabaseErrorKind::kDuplicateKey:
      return WithReason(absl::AlreadyExistsError(message), kReasonDatabaseError);
    case DatabaseErrorKind::kOther:
      break;
  }
  return WithReason(absl::InternalError(message), kReasonDatabaseError);
}

}  // namespace lss::storage
