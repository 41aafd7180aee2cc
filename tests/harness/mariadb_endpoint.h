// MariaDbEndpoint: where a MariaDB server listens and which account to use,
// in the forms the code under test and the harness's SQL helpers need.
#pragma once

#include <string>

namespace lss::harness {

// A plain value; copy it freely between threads.
struct MariaDbEndpoint {
  // TCP address. Always an IP: with "localhost", libmariadb would silently
  // use its default UNIX socket instead of this server.
  std::string host = "127.0.0.1";
  int port = 0;
  // When set, connections use this UNIX socket instead of host:port (the
  // root account of a private server is only reachable this way).
  std::string unix_socket;
  std::string user;
  std::string password;
  // The connection's default database; empty for none.
  std::string database;

  // "mysql://USER@HOST:PORT/DATABASE", the form `license-server --db` takes.
  // The password is deliberately not in it: the server reads it from
  // LSS_DB_PASSWORD or a file, so it never shows in `ps` or logs.
  std::string Dsn() const;

  // "db=NAME user=U password=P host=H port=N" (or unix_socket=S instead of
  // host and port): a connect string for SOCI's MySQL backend.
  std::string SociConnectString() const;
};

}  // namespace lss::harness
