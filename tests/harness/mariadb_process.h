// MariaDbProcess: a private MariaDB server for one test, in a temporary
// folder, on a free loopback port, with the process controls that crash and
// outage tests need (kill -9, freeze, thaw, graceful stop, restart on the same
// data and port).
//
// Start() initialises a data directory (mariadb-install-db), starts mariadbd
// (no config files read, TCP on 127.0.0.1 only, utf8mb4, small buffers so that
// many can run side by side; TLS when the options name certificates), waits
// until a real query succeeds, and creates
// the application's database and account:
//  - database `lss` and user 'lss'@'127.0.0.1' with a password, granted
//    everything on `lss` and on every database named lss_*, so tests can
//    create a fresh database per suite with that account alone;
//  - root, password-less, reachable only over the UNIX socket, for the
//    harness's own setup (Execute, QueryScalar, CreateDatabase).
// InnoDB's durability settings stay at their defaults (every commit flushed),
// so a row committed before Kill() is there after Restart().
//
// Tests that just need "a MariaDB" should use SharedMariaDb() (one server
// per test binary, or the CI's); start a MariaDbProcess of their own only to
// crash, freeze or restart it.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tests/harness/exit_status.h"
#include "tests/harness/mariadb_endpoint.h"
#include "tests/harness/process.h"
#include "tests/harness/temp_dir.h"

namespace lss::harness {

struct MariaDbOptions {
  // Every member has a default initializer: designated initializers that
  // name only some members then compile cleanly under -Wextra.

  // An existing folder for the data directory, socket and log. Empty: a
  // temporary folder owned by the MariaDbProcess.
  std::string work_dir = {};
  // The application's database and account.
  std::string database = "lss";
  std::string user = "lss";
  std::string password = "lss-test-password";
  // TLS: the server's certificate chain and key, and the CA that client
  // certificates must chain to (mariadbd's --ssl-cert, --ssl-key, --ssl-ca),
  // as PEM files, e.g. from TestCertificates. Empty: the server offers no
  // TLS.
  std::string tls_cert_file = {};
  std::string tls_key_file = {};
  std::string tls_ca_file = {};
  // --require-secure-transport=ON: the server refuses TCP clients that do
  // not use TLS. The harness's root connections over the UNIX socket count
  // as secure, so Start() and the SQL helpers keep working.
  bool require_secure_transport = false;
  // Appended to mariadbd's command line (e.g. "--max-connections=500").
  std::vector<std::string> extra_server_args = {};
  // How long Start() and Restart() wait for the server to answer queries.
  // Crash recovery after Kill() is part of that time.
  absl::Duration startup_timeout = absl::Seconds(60);
};

// Not thread-safe as a whole: drive the process controls from the test's
// thread. Execute() and QueryScalar() may be called from any thread while the
// server is not being restarted.
class MariaDbProcess {
 public:
  // Initialises, starts and provisions the server; returns once it answers.
  // On failure the error carries the end of the server's log.
  static absl::StatusOr<std::unique_ptr<MariaDbProcess>> Start(
      MariaDbOptions options = {});

  MariaDbProcess(const MariaDbProcess&) = delete;
  MariaDbProcess& operator=(const MariaDbProcess&) = delete;
  // Kills the server (its data is thrown away with the folder); prints the
  // end of its log if the current test failed.
  ~MariaDbProcess();

  int port() const { return port_; }
  const std::string& socket_path() const { return socket_path_; }
  const std::string& data_dir() const { return data_dir_; }
  const std::string& user() const { return options_.user; }
  const std::string& password() const { return options_.password; }
  const std::string& database() const { return options_.database; }

  // The application account over TCP, with `database` as the default
  // database (the options' database when empty).
  MariaDbEndpoint ApplicationEndpoint(absl::string_view database = "") const;
  // root over the UNIX socket: may do anything.
  MariaDbEndpoint RootEndpoint() const;

  // "mysql://lss@127.0.0.1:PORT/lss", for `license-server --db`; the password
  // goes separately (LSS_DB_PASSWORD).
  std::string Dsn() const { return ApplicationEndpoint().Dsn(); }
  // "db=NAME user=lss password=... host=127.0.0.1 port=PORT" for SOCI.
  std::string SociConnectString(absl::string_view database = "") const {
    return ApplicationEndpoint(database).SociConnectString();
  }

  // SQL as root (see ExecuteSql and QueryScalar in mariadb_client.h); name
  // tables with their database, e.g. "lss.licenses".
  absl::Status Execute(absl::string_view sql,
                       absl::Duration timeout = absl::Seconds(30)) const;
  absl::StatusOr<std::string> QueryScalar(
      absl::string_view sql, absl::Duration timeout = absl::Seconds(30)) const;

  // Creates database `name` (letters, digits, '_', '$') and grants the
  // application account everything on it.
  absl::Status CreateDatabase(absl::string_view name) const;

  // Process controls; see ChildProcess. Kill() is a crash (kill -9: InnoDB
  // recovers on Restart()); Stop() is a clean shutdown (SIGTERM, which
  // mariadbd handles like `mariadb-admin shutdown`).
  ExitStatus Kill() { return process_->Kill(); }
  void Freeze() { process_->Freeze(); }
  void Thaw() { process_->Thaw(); }
  ExitStatus Stop(absl::Duration grace = absl::Seconds(60)) {
    return process_->Stop(grace);
  }
  bool IsRunning() { return process_->IsRunning(); }
  pid_t pid() const { return process_->pid(); }
  std::string LogTail(int lines) const { return process_->LogTail(lines); }

  // Kills the server if it runs, starts it again on the same data directory
  // and port, and waits until it answers queries.
  absl::Status Restart();

  // Waits until root can run a query over the socket. Fails at once, with
  // the log's end, if the server exits meanwhile.
  absl::Status WaitUntilReady(absl::Duration timeout);

 private:
  explicit MariaDbProcess(MariaDbOptions options);

  // mariadb-install-db into data_dir_.
  absl::Status InitialiseDataDirectory();
  // mariadbd on a free port, retried on another port if the bind fails.
  absl::Status StartServer();
  // The application database and account.
  absl::Status Provision();
  std::vector<std::string> ServerArgs() const;
  absl::Status WithLogTail(const absl::Status& status,
                           const ChildProcess& process) const;

  MariaDbOptions options_;
  std::optional<TempDir> own_dir_;
  std::string work_dir_;
  std::string data_dir_;
  std::string socket_path_;
  int port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace lss::harness
