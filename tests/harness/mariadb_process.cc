#include "tests/harness/mariadb_process.h"

#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "absl/memory/memory.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "tests/harness/failure_log.h"
#include "tests/harness/free_port.h"
#include "tests/harness/mariadb_client.h"
#include "tests/harness/wait.h"

namespace lss::harness {
namespace {

constexpr int kLogLinesInErrors = 40;
// Tries of StartServer() when another process takes the picked port first.
constexpr int kPortAttempts = 3;

// Names that need no quoting beyond backticks: MariaDB's unquoted
// identifier characters, at most 64 of them.
bool IsPlainIdentifier(absl::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                       (c >= '0' && c <= '9') || c == '_' || c == '$';
    if (!plain) return false;
  }
  return true;
}

// A single-quoted SQL string literal.
std::string SqlString(absl::string_view text) {
  return absl::StrCat(
      "'", absl::StrReplaceAll(text, {{"\\", "\\\\"}, {"'", "\\'"}}), "'");
}

// The argument that makes mariadbd and mariadb-install-db run as root, which
// they refuse by default; nothing when the test does not run as root.
std::vector<std::string> UserArgs() {
  if (geteuid() == 0) return {"--user=root"};
  return {};
}

}  // namespace

absl::StatusOr<std::unique_ptr<MariaDbProcess>> MariaDbProcess::Start(
    MariaDbOptions options) {
  if (!IsPlainIdentifier(options.database) ||
      !IsPlainIdentifier(options.user)) {
    return absl::InvalidArgumentError(
        absl::StrCat("database and user must be plain identifiers, got `",
                     options.database, "` and `", options.user, "`"));
  }
  auto server = absl::WrapUnique(new MariaDbProcess(std::move(options)));
  if (server->options_.work_dir.empty()) {
    absl::StatusOr<TempDir> dir = TempDir::Create("mariadb");
    if (!dir.ok()) return dir.status();
    server->own_dir_.emplace(*std::move(dir));
    server->work_dir_ = server->own_dir_->path();
  } else {
    server->work_dir_ = server->options_.work_dir;
  }
  server->data_dir_ = absl::StrCat(server->work_dir_, "/data");
  server->socket_path_ = absl::StrCat(server->work_dir_, "/mariadbd.sock");
  if (server->socket_path_.size() >= sizeof(sockaddr_un::sun_path)) {
    return absl::InvalidArgumentError(
        absl::StrCat("the socket path ", server->socket_path_,
                     " is longer than UNIX "
                     "sockets allow; use a shorter TMPDIR or work_dir"));
  }
  if (absl::Status status = server->InitialiseDataDirectory(); !status.ok()) {
    return status;
  }
  if (absl::Status status = server->StartServer(); !status.ok()) return status;
  if (absl::Status status = server->Provision(); !status.ok()) return status;
  return server;
}

MariaDbProcess::MariaDbProcess(MariaDbOptions options)
    : options_(std::move(options)) {}

MariaDbProcess::~MariaDbProcess() {
  if (process_ != nullptr) {
    process_->Kill();
    PrintLogTailIfTestFailed(*process_);
  }
}

MariaDbEndpoint MariaDbProcess::ApplicationEndpoint(
    absl::string_view database) const {
  MariaDbEndpoint endpoint;
  endpoint.host = "127.0.0.1";
  endpoint.port = port_;
  endpoint.user = options_.user;
  endpoint.password = options_.password;
  endpoint.database =
      database.empty() ? options_.database : std::string(database);
  return endpoint;
}

MariaDbEndpoint MariaDbProcess::RootEndpoint() const {
  MariaDbEndpoint endpoint;
  endpoint.port = port_;
  endpoint.unix_socket = socket_path_;
  endpoint.user = "root";
  return endpoint;
}

absl::Status MariaDbProcess::Execute(absl::string_view sql,
                                     absl::Duration timeout) const {
  return ExecuteSql(RootEndpoint(), sql, timeout);
}

absl::StatusOr<std::string> MariaDbProcess::QueryScalar(
    absl::string_view sql, absl::Duration timeout) const {
  return lss::harness::QueryScalar(RootEndpoint(), sql, timeout);
}

absl::Status MariaDbProcess::CreateDatabase(absl::string_view name) const {
  if (!IsPlainIdentifier(name)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "database names are letters, digits, '_' and '$', got: ", name));
  }
  return Execute(absl::StrCat("CREATE DATABASE `", name,
                              "`; GRANT ALL PRIVILEGES ON `", name, "`.* TO ",
                              SqlString(options_.user), "@'127.0.0.1'"));
}

absl::Status MariaDbProcess::Restart() {
  if (absl::Status status = process_->Restart(); !status.ok()) return status;
  return WaitUntilReady(options_.startup_timeout);
}

absl::Status MariaDbProcess::WaitUntilReady(absl::Duration timeout) {
  // A real query, not `mariadb-admin ping`: ping also succeeds when the
  // server answers "access denied", and before it can run statements.
  absl::Status last = absl::UnknownError("no attempt made");
  const bool ready = WaitFor(
      [&] {
        if (!process_->IsRunning()) return true;
        last = QueryScalar("SELECT 1", absl::Seconds(1)).status();
        return last.ok();
      },
      timeout, absl::Milliseconds(20));
  if (!process_->IsRunning()) {
    return WithLogTail(absl::UnavailableError(absl::StrCat(
                           "mariadbd ", process_->exit_status()->ToString(),
                           " before accepting connections on port ", port_)),
                       *process_);
  }
  if (ready) return absl::OkStatus();
  return WithLogTail(
      absl::DeadlineExceededError(absl::StrCat(
          "mariadbd does not answer queries after ",
          absl::FormatDuration(timeout), "; last error: ", last.ToString())),
      *process_);
}

absl::Status MariaDbProcess::InitialiseDataDirectory() {
  const std::string tmp_dir = absl::StrCat(work_dir_, "/tmp");
  if (mkdir(tmp_dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return absl::InternalError(absl::StrCat("cannot create ", tmp_dir));
  }
  ChildProcessOptions install;
  install.binary = "mariadb-install-db";
  install.args = {"--no-defaults"};  // must come first
  for (std::string& arg : UserArgs()) install.args.push_back(std::move(arg));
  install.args.insert(
      install.args.end(),
      {absl::StrCat("--datadir=", data_dir_),
       // root logs in with a (here: empty) password, not by unix_socket
       // authentication, which would tie it to the OS user running the test.
       "--auth-root-authentication-method=normal", "--skip-test-db",
       // Its bootstrap server deletes stray temporary files in its tmpdir:
       // in the shared /tmp, it would delete those of parallel tests.
       absl::StrCat("--tmpdir=", work_dir_, "/tmp"),
       // The same InnoDB sizes as the server, so it need not resize the redo
       // log at its first start.
       "--innodb-buffer-pool-size=64M", "--innodb-log-file-size=16M"});
  install.log_dir = work_dir_;
  absl::StatusOr<std::unique_ptr<ChildProcess>> installer =
      ChildProcess::Start(std::move(install));
  if (!installer.ok()) return installer.status();
  absl::StatusOr<ExitStatus> exit =
      (*installer)->WaitForExit(options_.startup_timeout);
  if (!exit.ok()) return WithLogTail(exit.status(), **installer);
  if (*exit != ExitStatus::Exited(0)) {
    return WithLogTail(absl::InternalError(absl::StrCat("mariadb-install-db ",
                                                        exit->ToString())),
                       **installer);
  }
  return absl::OkStatus();
}

std::vector<std::string> MariaDbProcess::ServerArgs() const {
  std::vector<std::string> args = {"--no-defaults"};  // must come first
  for (std::string& arg : UserArgs()) args.push_back(std::move(arg));
  args.insert(
      args.end(),
      {absl::StrCat("--datadir=", data_dir_),
       absl::StrCat("--socket=", socket_path_), absl::StrCat("--port=", port_),
       absl::StrCat("--pid-file=", work_dir_, "/mariadbd.pid"),
       absl::StrCat("--tmpdir=", work_dir_, "/tmp"),
       // Reachable from this machine only; with --skip-name-resolve accounts
       // match the literal client address, hence 'lss'@'127.0.0.1'.
       "--bind-address=127.0.0.1", "--skip-name-resolve",
       "--character-set-server=utf8mb4",
       "--collation-server=utf8mb4_unicode_ci",
       // Small, so that several servers fit on a CI machine beside the test.
       "--innodb-buffer-pool-size=64M", "--innodb-log-file-size=16M",
       // Nothing replicates from a test server; a binary log would only add
       // a write per commit.
       "--skip-log-bin"});
  if (!options_.tls_cert_file.empty()) args.push_back(absl::StrCat("--ssl-cert=", options_.tls_cert_file));
  if (!options_.tls_key_file.empty()) args.push_back(absl::StrCat("--ssl-key=", options_.tls_key_file));
  if (!options_.tls_ca_file.empty()) args.push_back(absl::StrCat("--ssl-ca=", options_.tls_ca_file));
  if (options_.require_secure_transport) args.push_back("--require-secure-transport=ON");
  args.insert(args.end(), options_.extra_server_args.begin(),
              options_.extra_server_args.end());
  return args;
}

absl::Status MariaDbProcess::StartServer() {
  absl::Status status;
  for (int attempt = 1; attempt <= kPortAttempts; ++attempt) {
    absl::StatusOr<int> port = PickFreeLoopbackPort();
    if (!port.ok()) return port.status();
    port_ = *port;
    ChildProcessOptions server;
    server.binary = "mariadbd";
    server.args = ServerArgs();
    server.log_dir = work_dir_;
    absl::StatusOr<std::unique_ptr<ChildProcess>> started =
        ChildProcess::Start(std::move(server));
    if (!started.ok()) return started.status();
    process_ = *std::move(started);
    status = WaitUntilReady(options_.startup_timeout);
    if (status.ok()) return status;
    // Retry only the race PickFreeLoopbackPort() warns about: someone took
    // the port between our probe and mariadbd's bind.
    const bool port_taken =
        !process_->IsRunning() &&
        absl::StrContains(process_->LogTail(kLogLinesInErrors),
                          "Address already in use");
    if (!port_taken) return status;
  }
  return status;
}

absl::Status MariaDbProcess::Provision() {
  const std::string account =
      absl::StrCat(SqlString(options_.user), "@'127.0.0.1'");
  // `lss\_%` is a grant pattern: '_' would otherwise match any character.
  return Execute(absl::StrCat(
      "CREATE DATABASE IF NOT EXISTS `", options_.database, "`;",
      "CREATE USER IF NOT EXISTS ", account, " IDENTIFIED BY ",
      SqlString(options_.password), ";", "GRANT ALL PRIVILEGES ON `",
      options_.database, "`.* TO ", account, ";",
      "GRANT ALL PRIVILEGES ON `lss\\_%`.* TO ", account));
}

absl::Status MariaDbProcess::WithLogTail(const absl::Status& status,
                                         const ChildProcess& process) const {
  return absl::Status(
      status.code(),
      absl::StrCat(status.message(), "\ncommand: ", process.CommandLine(),
                   "\nlast lines of ", process.log_path(), ":\n",
                   process.LogTail(kLogLinesInErrors)));
}

}  // namespace lss::harness
