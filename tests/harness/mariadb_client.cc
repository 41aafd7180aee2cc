#include "tests/harness/mariadb_client.h"

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

#include <algorithm>
#include <cstdint>
#include <memory>

#include "absl/base/call_once.h"
#include "absl/strings/str_cat.h"

namespace lss::harness {
namespace {

struct ConnectionCloser {
  void operator()(MYSQL* connection) const { mysql_close(connection); }
};
using Connection = std::unique_ptr<MYSQL, ConnectionCloser>;

absl::StatusCode CodeFor(unsigned int error) {
  if (error >= CR_MIN_ERROR && error <= CR_MAX_ERROR) {
    return absl::StatusCode::kUnavailable;
  }
  switch (error) {
    case ER_ACCESS_DENIED_ERROR:
    case ER_DBACCESS_DENIED_ERROR:
    case ER_TABLEACCESS_DENIED_ERROR:
    case ER_SPECIFIC_ACCESS_DENIED_ERROR:
      return absl::StatusCode::kPermissionDenied;
    case ER_BAD_DB_ERROR:
    case ER_NO_SUCH_TABLE:
      return absl::StatusCode::kNotFound;
    case ER_DB_CREATE_EXISTS:
    case ER_TABLE_EXISTS_ERROR:
    case ER_DUP_ENTRY:
      return absl::StatusCode::kAlreadyExists;
    default:
      return absl::StatusCode::kInternal;
  }
}

std::string Where(const MariaDbEndpoint& endpoint) {
  const std::string server =
      endpoint.unix_socket.empty()
          ? absl::StrCat(endpoint.host, ":", endpoint.port)
          : endpoint.unix_socket;
  return absl::StrCat(endpoint.user, "@", server);
}

absl::Status Error(MYSQL* connection, const MariaDbEndpoint& endpoint,
                   absl::string_view sql) {
  const unsigned int error = mysql_errno(connection);
  return absl::Status(
      CodeFor(error),
      absl::StrCat("MariaDB error ", error, " (", mysql_sqlstate(connection),
                   ") at ", Where(endpoint), ": ", mysql_error(connection),
                   sql.empty() ? "" : absl::StrCat("; SQL: ", sql)));
}

absl::StatusOr<Connection> Connect(const MariaDbEndpoint& endpoint,
                                   absl::Duration timeout) {
  // mysql_init() would initialise the library lazily, but not thread-safely.
  static absl::once_flag library_initialised;
  absl::call_once(library_initialised,
                  [] { mysql_library_init(0, nullptr, nullptr); });

  Connection connection(mysql_init(nullptr));
  if (connection == nullptr) {
    return absl::ResourceExhaustedError("mysql_init: out of memory");
  }
  const unsigned int seconds = static_cast<unsigned int>(std::max<int64_t>(
      1, absl::ToInt64Seconds(absl::Ceil(timeout, absl::Seconds(1)))));
  mysql_options(connection.get(), MYSQL_OPT_CONNECT_TIMEOUT, &seconds);
  mysql_options(connection.get(), MYSQL_OPT_READ_TIMEOUT, &seconds);
  mysql_options(connection.get(), MYSQL_OPT_WRITE_TIMEOUT, &seconds);
  // Say which transport explicitly: libmariadb otherwise picks one from the
  // host name, and "localhost" would mean its default socket.
  const unsigned int protocol =
      endpoint.unix_socket.empty() ? MYSQL_PROTOCOL_TCP : MYSQL_PROTOCOL_SOCKET;
  mysql_options(connection.get(), MYSQL_OPT_PROTOCOL, &protocol);

  const bool socket = !endpoint.unix_socket.empty();
  if (mysql_real_connect(
          connection.get(), socket ? "localhost" : endpoint.host.c_str(),
          endpoint.user.c_str(), endpoint.password.c_str(),
          endpoint.database.empty() ? nullptr : endpoint.database.c_str(),
          socket ? 0 : static_cast<unsigned int>(endpoint.port),
          socket ? endpoint.unix_socket.c_str() : nullptr,
          CLIENT_MULTI_STATEMENTS) == nullptr) {
    return Error(connection.get(), endpoint, "");
  }
  return connection;
}

// Frees the remaining result sets of a multi-statement query; returns the
// first error among the statements after the first.
absl::Status DrainResults(MYSQL* connection, const MariaDbEndpoint& endpoint,
                          absl::string_view sql) {
  while (true) {
    const int next = mysql_next_result(connection);
    if (next < 0) return absl::OkStatus();  // no more results
    if (next > 0) return Error(connection, endpoint, sql);
    if (MYSQL_RES* result = mysql_store_result(connection)) {
      mysql_free_result(result);
    } else if (mysql_field_count(connection) != 0) {
      return Error(connection, endpoint, sql);
    }
  }
}

}  // namespace

absl::Status ExecuteSql(const MariaDbEndpoint& endpoint, absl::string_view sql,
                        absl::Duration timeout) {
  absl::StatusOr<Connection> connection = Connect(endpoint, timeout);
  if (!connection.ok()) return connection.status();
  MYSQL* mysql = connection->get();
  if (mysql_real_query(mysql, sql.data(), sql.size()) != 0) {
    return Error(mysql, endpoint, sql);
  }
  if (MYSQL_RES* result = mysql_store_result(mysql)) {
    mysql_free_result(result);
  } else if (mysql_field_count(mysql) != 0) {
    return Error(mysql, endpoint, sql);
  }
  return DrainResults(mysql, endpoint, sql);
}

absl::StatusOr<std::string> QueryScalar(const MariaDbEndpoint& endpoint,
                                        absl::string_view sql,
                                        absl::Duration timeout) {
  absl::StatusOr<Connection> connection = Connect(endpoint, timeout);
  if (!connection.ok()) return connection.status();
  MYSQL* mysql = connection->get();
  if (mysql_real_query(mysql, sql.data(), sql.size()) != 0) {
    return Error(mysql, endpoint, sql);
  }
  std::unique_ptr<MYSQL_RES, decltype(&mysql_free_result)> result(
      mysql_store_result(mysql), &mysql_free_result);
  if (result == nullptr) {
    if (mysql_field_count(mysql) != 0) return Error(mysql, endpoint, sql);
    return absl::InvalidArgumentError(
        absl::StrCat("QueryScalar: the statement returns no rows: ", sql));
  }
  MYSQL_ROW row = mysql_fetch_row(result.get());
  if (row == nullptr) {
    return absl::NotFoundError(absl::StrCat("no row: ", sql));
  }
  if (row[0] == nullptr) {
    return absl::NotFoundError(absl::StrCat("NULL value: ", sql));
  }
  std::string value(row[0], mysql_fetch_lengths(result.get())[0]);
  result.reset();
  if (absl::Status status = DrainResults(mysql, endpoint, sql); !status.ok()) {
    return status;
  }
  return value;
}

}  // namespace lss::harness
