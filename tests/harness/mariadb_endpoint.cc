#include "tests/harness/mariadb_endpoint.h"

#include "absl/strings/str_cat.h"

namespace lss::harness {

std::string MariaDbEndpoint::Dsn() const {
  return absl::StrCat("mysql://", user, "@", host, ":", port, "/", database);
}

std::string MariaDbEndpoint::SociConnectString() const {
  std::string text =
      absl::StrCat("db=", database, " user=", user, " password=", password);
  if (!unix_socket.empty()) {
    absl::StrAppend(&text, " unix_socket=", unix_socket);
  } else {
    absl::StrAppend(&text, " host=", host, " port=", port);
  }
  return text;
}

}  // namespace lss::harness
