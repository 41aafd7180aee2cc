#include "tests/harness/grpc_server_process.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/memory/memory.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "tests/harness/failure_log.h"
#include "tests/harness/wait.h"

namespace lss::harness {
namespace {

constexpr int kLogLinesInErrors = 30;

// The port in `path`, or nullopt while the file is absent or incomplete.
std::optional<int> ReadPortFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) return std::nullopt;
  std::stringstream text;
  text << file.rdbuf();
  int port = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(text.str()), &port) ||
      port <= 0 || port > 65535) {
    return std::nullopt;
  }
  return port;
}

}  // namespace

absl::StatusOr<std::unique_ptr<GrpcServerProcess>> GrpcServerProcess::Start(
    GrpcServerOptions options) {
  auto server = absl::WrapUnique(new GrpcServerProcess(std::move(options)));
  if (absl::Status status = server->Launch(0); !status.ok()) return status;
  return server;
}

GrpcServerProcess::GrpcServerProcess(GrpcServerOptions options)
    : options_(std::move(options)) {
  if (options_.name.empty()) {
    options_.name = options_.binary.substr(options_.binary.rfind('/') + 1);
  }
}

GrpcServerProcess::~GrpcServerProcess() {
  if (process_ != nullptr) {
    process_->Kill();
    PrintLogTailIfTestFailed(*process_);
  }
}

std::string GrpcServerProcess::address() const {
  return absl::StrCat("127.0.0.1:", port_);
}

std::shared_ptr<grpc::Channel> GrpcServerProcess::NewChannel() const {
  return NewChannel(options_.channel_credentials != nullptr
                        ? options_.channel_credentials
                        : grpc::InsecureChannelCredentials());
}

std::shared_ptr<grpc::Channel> GrpcServerProcess::NewChannel(
    std::shared_ptr<grpc::ChannelCredentials> credentials) const {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  // Only the backoff between attempts is shortened. The minimum connect
  // timeout (GRPC_ARG_MIN_RECONNECT_BACKOFF_MS) keeps its 20 s default: were
  // it short, a connection attempt to a frozen server would fail and calls
  // would see UNAVAILABLE instead of waiting for their deadline.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  return grpc::CreateCustomChannel(address(), std::move(credentials), args);
}

absl::StatusOr<ServingStatus> GrpcServerProcess::CheckHealth(
    absl::Duration timeout, absl::string_view service) const {
  return lss::harness::CheckHealth(NewChannel(), service, timeout);
}

absl::Status GrpcServerProcess::WaitUntilServing(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  // One channel for all attempts: it reconnects on its own as the server
  // comes up, and each attempt is bounded so a frozen server cannot hold
  // the wait past its deadline.
  const std::shared_ptr<grpc::Channel> channel = NewChannel();
  absl::StatusOr<ServingStatus> last = absl::UnknownError("no attempt made");
  const bool done = WaitFor(
      [&] {
        if (!process_->IsRunning()) return true;
        const absl::Duration attempt = std::clamp(
            deadline - absl::Now(), absl::Milliseconds(1), absl::Seconds(1));
        last = lss::harness::CheckHealth(channel, "", attempt);
        return last.ok() && *last == ServingStatus::kServing;
      },
      timeout, absl::Milliseconds(20));
  if (!process_->IsRunning()) {
    return WithLogTail(absl::UnavailableError(
        absl::StrCat(options_.name, " ", process_->exit_status()->ToString(),
                     " before serving on ", address())));
  }
  if (done) return absl::OkStatus();
  const std::string last_answer = last.ok()
                                      ? std::string(ServingStatusName(*last))
                                      : last.status().ToString();
  return WithLogTail(absl::DeadlineExceededError(absl::StrCat(
      options_.name, " is not SERVING on ", address(), " after ",
      absl::FormatDuration(timeout), "; last health answer: ", last_answer)));
}

absl::Status GrpcServerProcess::Restart() {
  process_->Kill();
  return Launch(port_);
}

absl::Status GrpcServerProcess::Launch(int port) {
  if (work_dir_.empty()) {
    if (options_.work_dir.empty()) {
      absl::StatusOr<TempDir> dir = TempDir::Create(options_.name);
      if (!dir.ok()) return dir.status();
      own_dir_.emplace(*std::move(dir));
      work_dir_ = own_dir_->path();
    } else {
      work_dir_ = options_.work_dir;
    }
    port_file_ = absl::StrCat(work_dir_, "/", options_.name, ".port");
  }
  // A port file left by the previous incarnation would be read as this
  // one's before it has bound anything.
  unlink(port_file_.c_str());

  ChildProcessOptions child;
  child.binary = options_.binary;
  child.args = options_.args;
  child.args.insert(child.args.end(),
                    {"--listen", absl::StrCat("127.0.0.1:", port),
                     "--port_file", port_file_});
  child.env = options_.env;
  child.log_dir = work_dir_;
  child.name = options_.name;
  // On failure process_ keeps the previous (dead) incarnation, so that the
  // process controls stay safe to call.
  absl::StatusOr<std::unique_ptr<ChildProcess>> started =
      ChildProcess::Start(std::move(child));
  if (!started.ok()) return started.status();
  process_ = *std::move(started);

  const absl::Time deadline = absl::Now() + options_.startup_timeout;
  absl::StatusOr<int> bound = WaitForPortFile(options_.startup_timeout);
  if (!bound.ok()) return bound.status();
  if (port != 0 && *bound != port) {
    return WithLogTail(absl::InternalError(absl::StrCat(
        options_.name, " was asked for port ", port, " but bound ", *bound)));
  }
  port_ = *bound;
  return WaitUntilServing(deadline - absl::Now());
}

absl::StatusOr<int> GrpcServerProcess::WaitForPortFile(absl::Duration timeout) {
  std::optional<int> port;
  WaitFor(
      [&] {
        port = ReadPortFile(port_file_);
        return port.has_value() || !process_->IsRunning();
      },
      timeout);
  if (port.has_value()) return *port;
  if (!process_->IsRunning()) {
    return WithLogTail(absl::UnavailableError(
        absl::StrCat(options_.name, " ", process_->exit_status()->ToString(),
                     " before writing its port file ", port_file_)));
  }
  return WithLogTail(absl::DeadlineExceededError(absl::StrCat(
      options_.name, " wrote no port file ", port_file_, " within ",
      absl::FormatDuration(timeout), " (does it support --port_file?)")));
}

absl::Status GrpcServerProcess::WithLogTail(const absl::Status& status) const {
  return absl::Status(
      status.code(),
      absl::StrCat(status.message(), "\ncommand: ", process_->CommandLine(),
                   "\nlast lines of ", process_->log_path(), ":\n",
                   process_->LogTail(kLogLinesInErrors)));
}

}  // namespace lss::harness
