#include "bench/watch_fleet.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bench/text_file.h"
#include "bench/unary_callers.h"
#include "grpcpp/client_context.h"
#include "licensing/v1/license_service.grpc.pb.h"

namespace lss::bench {
namespace {

using licensing::v1::LicenseService;
using licensing::v1::WatchSyncJobResponse;

// The fleet's counters, shared by every watcher's reactor.
class Tally {
 public:
  explicit Tally(int watchers) : watchers_(watchers), start_(absl::Now()) {}

  void FirstEvent() {
    absl::MutexLock lock(&mu_);
    if (++first_events_ == watchers_) attached_ = absl::Now() - start_;
  }
  void Ended(bool ok, bool saw_final, int64_t events) {
    absl::MutexLock lock(&mu_);
    ++ended_;
    if (ok) ++report_.ended_ok;
    if (saw_final) ++report_.saw_final;
    report_.events += events;
  }

  // Waits until every stream ended, or `timeout`.
  WatchFleetReport Wait(absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto all_ended = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return ended_ == watchers_; };
    mu_.AwaitWithTimeout(absl::Condition(&all_ended), timeout);
    WatchFleetReport report = report_;
    report.watchers = watchers_;
    report.attached = attached_;
    return report;
  }

 private:
  const int watchers_;
  const absl::Time start_;
  absl::Mutex mu_;
  int first_events_ ABSL_GUARDED_BY(mu_) = 0;
  int ended_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Duration attached_ ABSL_GUARDED_BY(mu_) = absl::InfiniteDuration();
  WatchFleetReport report_ ABSL_GUARDED_BY(mu_);
};

// One watcher: reads its stream to the end, one read at a time, as a
// dashboard would.
class Watcher final : public grpc::ClientReadReactor<WatchSyncJobResponse> {
 public:
  Watcher(LicenseService::Stub& stub, const std::string& job_id, absl::Duration timeout, Tally& tally) : tally_(tally) {
    request_.set_job_id(job_id);
    context_.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout));
    stub.async()->WatchSyncJob(&context_, &request_, this);
    StartRead(&response_);
    StartCall();
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;  // the stream ended; OnDone follows
    if (events_++ == 0) tally_.FirstEvent();
    if (response_.progress().state() != licensing::v1::SYNC_JOB_STATE_RUNNING) saw_final_ = true;
    StartRead(&response_);
  }

  void OnDone(const grpc::Status& status) override { tally_.Ended(status.ok(), saw_final_, events_); }

  void Cancel() { context_.TryCancel(); }

 private:
  Tally& tally_;
  grpc::ClientContext context_;
  licensing::v1::WatchSyncJobRequest request_;
  WatchSyncJobResponse response_;
  int64_t events_ = 0;  // touched by this stream's reactions only, one at a time
  bool saw_final_ = false;
};

}  // namespace

int RunWatchFleet(const WatchFleetOptions& options) {
  const auto connect_deadline = std::chrono::system_clock::now() + std::chrono::seconds(30);
  std::vector<std::unique_ptr<LicenseService::Stub>> stubs;
  for (int i = 0; i < std::max(1, options.connections); ++i) {
    std::shared_ptr<grpc::Channel> channel = NewDedicatedChannel(options.target);
    if (!channel->WaitForConnected(connect_deadline)) {
      std::fprintf(stderr, "watchers: cannot connect to %s\n", options.target.c_str());
      return 1;
    }
    stubs.push_back(LicenseService::NewStub(channel));
  }
  if (!WriteFileAtomically(options.ready_file, "ready\n").ok()) return 1;
  absl::StatusOr<std::string> job_id = absl::NotFoundError("no job id yet");
  const absl::Time give_up = absl::Now() + options.timeout;
  while (!(job_id = ReadWholeFile(options.job_id_file)).ok() && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  if (!job_id.ok()) {
    std::fprintf(stderr, "watchers: no job id in %s\n", options.job_id_file.c_str());
    return 1;
  }

  Tally tally(options.watchers);
  std::vector<std::unique_ptr<Watcher>> watchers;
  for (int i = 0; i < options.watchers; ++i) {
    watchers.push_back(
        std::make_unique<Watcher>(*stubs[static_cast<size_t>(i) % stubs.size()], *job_id, options.timeout, tally));
  }
  WatchFleetReport report = tally.Wait(options.timeout);
  // Streams still open after the timeout are cancelled; their OnDone must
  // run before the reactors are destroyed.
  for (auto& watcher : watchers) watcher->Cancel();
  tally.Wait(absl::Minutes(1));

  const std::string text =
      absl::StrCat("watchers=", report.watchers, "\nended_ok=", report.ended_ok, "\nsaw_final=", report.saw_final,
                   "\nevents=", report.events, "\nattached_ms=",
                   report.attached == absl::InfiniteDuration() ? -1 : absl::ToInt64Milliseconds(report.attached), "\n");
  if (!WriteFileAtomically(options.report_file, text).ok()) {
    std::fprintf(stderr, "watchers: cannot write %s\n", options.report_file.c_str());
    return 1;
  }
  return 0;
}

absl::StatusOr<WatchFleetReport> ReadWatchFleetReport(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  WatchFleetReport report;
  for (absl::string_view line : absl::StrSplit(*text, '\n', absl::SkipEmpty())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(line, absl::MaxSplits('=', 1));
    int64_t value = 0;
    if (!absl::SimpleAtoi(kv.second, &value)) continue;
    if (kv.first == "watchers") report.watchers = static_cast<int>(value);
    if (kv.first == "ended_ok") report.ended_ok = static_cast<int>(value);
    if (kv.first == "saw_final") report.saw_final = static_cast<int>(value);
    if (kv.first == "events") report.events = value;
    if (kv.first == "attached_ms") {
      report.attached = value < 0 ? absl::InfiniteDuration() : absl::Milliseconds(value);
    }
  }
  return report;
}

}  // namespace lss::bench
