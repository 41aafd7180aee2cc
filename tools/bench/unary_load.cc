#include "bench/unary_load.h"

#include <atomic>
#include <memory>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"

namespace lss::bench {
namespace {

// The clients' shared state. Shared with the calls' callbacks, so that the
// last of them may still be returning when RunClosedLoop() does.
class ClosedLoop : public std::enable_shared_from_this<ClosedLoop> {
 public:
  ClosedLoop(UnaryCaller& caller, int concurrency, absl::Time window_start, absl::Time window_end)
      : caller_(caller),
        window_start_(window_start),
        window_end_(absl::ToUnixNanos(window_end)),
        clients_(static_cast<size_t>(concurrency)),
        running_(concurrency) {}

  // Ends the window now, for a window that was open-ended.
  void EndWindow() { window_end_.store(absl::ToUnixNanos(absl::Now()), std::memory_order_relaxed); }

  void Start() {
    for (size_t i = 0; i < clients_.size(); ++i) Issue(static_cast<int>(i));
  }

  // Waits until every client has seen the window end.
  UnaryLoadResult Wait() {
    absl::MutexLock lock(&mu_);
    auto stopped = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return running_ == 0; };
    mu_.Await(absl::Condition(&stopped));
    UnaryLoadResult result;
    result.concurrency = static_cast<int>(clients_.size());
    result.calls = calls_;
    result.errors = errors_;
    result.first_error = first_error_;
    result.window = WindowEnd() - window_start_;
    std::vector<int64_t> all;
    for (const Client& client : clients_) all.insert(all.end(), client.latencies.begin(), client.latencies.end());
    result.latency = SummarizeLatencies(std::move(all));
    return result;
  }

 private:
  // A client's own calls are sequential, so its fields are touched by one
  // call's callback at a time (ordered by gRPC's completion).
  struct Client {
    absl::Time started;
    std::vector<int64_t> latencies;  // nanoseconds
  };

  void Issue(int client) {
    clients_[static_cast<size_t>(client)].started = absl::Now();
    caller_.Call(client,
                 [self = shared_from_this(), client](const grpc::Status& status) { self->OnDone(client, status); });
  }

  absl::Time WindowEnd() const { return absl::FromUnixNanos(window_end_.load(std::memory_order_relaxed)); }

  void OnDone(int client, const grpc::Status& status) {
    const absl::Time now = absl::Now();
    const absl::Time window_end = WindowEnd();
    Client& state = clients_[static_cast<size_t>(client)];
    const bool in_window = now >= window_start_ && now < window_end;
    if (in_window && status.ok()) state.latencies.push_back(absl::ToInt64Nanoseconds(now - state.started));
    if (in_window || now >= window_end) {
      absl::MutexLock lock(&mu_);
      if (in_window) {
        ++calls_;
        if (!status.ok() && errors_++ == 0) {
          first_error_ = absl::StrCat("code ", status.error_code(), ": ", status.error_message());
        }
      }
      if (now >= window_end) {
        --running_;
        return;
      }
    }
    Issue(client);
  }

  UnaryCaller& caller_;
  const absl::Time window_start_;
  // Unix nanoseconds; an open-ended window is ended by EndWindow().
  std::atomic<int64_t> window_end_;
  std::vector<Client> clients_;

  absl::Mutex mu_;
  int running_ ABSL_GUARDED_BY(mu_);
  int64_t calls_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t errors_ ABSL_GUARDED_BY(mu_) = 0;
  std::string first_error_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

double UnaryLoadResult::PerSecond() const { return Rate(calls, window); }

UnaryLoadResult RunClosedLoop(UnaryCaller& caller, int concurrency, absl::Duration warm_up, absl::Duration window) {
  const absl::Time window_start = absl::Now() + warm_up;
  auto loop = std::make_shared<ClosedLoop>(caller, concurrency, window_start, window_start + window);
  loop->Start();
  return loop->Wait();
}

UnaryLoadResult RunClosedLoopDuring(UnaryCaller& caller, int concurrency, absl::Duration warm_up,
                                    absl::FunctionRef<void()> during) {
  const absl::Time window_start = absl::Now() + warm_up;
  auto loop = std::make_shared<ClosedLoop>(caller, concurrency, window_start, absl::InfiniteFuture());
  loop->Start();
  absl::SleepFor(window_start - absl::Now());
  during();
  loop->EndWindow();
  return loop->Wait();
}

}  // namespace lss::bench
