// The SOCI connect string for a data source. It holds the password, so it
// is built at the last moment, handed to SOCI, and never logged or put in a
// Status.
//
// Pure function; thread-safe.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "storage/dsn.h"

namespace lss::storage {

// SQLite: db="PATH". MySQL: db, user, password, host, port, charset and
// timeouts, each value quoted for SOCI's parser. The host "localhost"
// becomes 127.0.0.1: libmariadb would otherwise ignore the port and use its
// default UNIX socket.
std::string SociConnectString(const DataSource& source, absl::string_view password);

}  // namespace lss::storage
