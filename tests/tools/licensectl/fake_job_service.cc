#include "fake_job_service.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "licensectl/app.h"

namespace licensectl::testing {
namespace {

using licensing::v1::SyncHistoryEntry;
using licensing::v1::SyncProgress;

grpc::Status NotFound(absl::string_view what) {
  return grpc::Status(grpc::StatusCode::NOT_FOUND, absl::StrCat("no ", what));
}

google::protobuf::Timestamp At(int64_t seconds) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(seconds);
  return timestamp;
}

std::vector<SyncHistoryEntry> HistoryOfLicense7() {
  std::vector<SyncHistoryEntry> entries(3);
  for (SyncHistoryEntry& entry : entries) {
    entry.set_license_id(7);
    entry.set_key_number("PLSK.00000007.0000");
  }
  // 2026-01-15 10:00:00 UTC, then a day earlier each.
  constexpr int64_t kNewest = 1768471200;
  entries[0].set_ka_key_number("PLSK.00000007.0000");
  *entries[0].mutable_sync_time() = At(kNewest);
  entries[0].set_sync_status(licensing::v1::SYNC_STATUS_IN_SYNC);
  entries[0].set_message("In Sync");
  entries[0].set_job_id("job-1");

  entries[1].set_ka_key_number("PLSK.00000007.0000");
  *entries[1].mutable_sync_time() = At(kNewest - 86400);
  entries[1].set_sync_status(licensing::v1::SYNC_STATUS_NOT_IN_SYNC);
  auto* mismatch = entries[1].add_mismatches();
  mismatch->set_kind(licensing::v1::MISMATCH_KIND_CAPACITY_CHANGED);
  mismatch->set_billing_value("100");
  mismatch->set_ka_value("300");
  entries[1].set_message("Not In Sync: capacity changed (billing 100, KA 300)");

  *entries[2].mutable_sync_time() = At(kNewest - 2 * 86400);
  entries[2].set_error("KA unavailable: deadline exceeded");
  return entries;
}

// The page of `all` that `page_size` and `page_token` (the index of the
// first item) select; the next token is the index after it.
template <typename Item, typename AddFn>
std::string Page(const std::vector<Item>& all, int32_t page_size, const std::string& page_token, AddFn add) {
  const size_t start = page_token.empty() ? 0 : std::stoul(page_token);
  const size_t size = page_size == 0 ? all.size() : static_cast<size_t>(page_size);
  const size_t end = std::min(all.size(), start + size);
  for (size_t i = start; i < end; ++i) add(all[i]);
  return end < all.size() ? std::to_string(end) : "";
}

// A string buffer that tells `on_flush` what it holds at each flush.
class FlushObservedBuffer : public std::stringbuf {
 public:
  explicit FlushObservedBuffer(std::function<void(const std::string&)> on_flush) : on_flush_(std::move(on_flush)) {}

 protected:
  int sync() override {
    if (on_flush_) on_flush_(str());
    return 0;
  }

 private:
  std::function<void(const std::string&)> on_flush_;
};

}  // namespace

grpc::Status FakeJobService::ListSyncHistory(grpc::ServerContext*, const licensing::v1::ListSyncHistoryRequest* request,
                                             licensing::v1::ListSyncHistoryResponse* response) {
  {
    absl::MutexLock lock(&mutex_);
    last_history_request_ = *request;
  }
  if (request->license_id() != 7 && request->key_number() != "PLSK.00000007") {
    return NotFound("license with this License ID or Key Number");
  }
  response->set_next_page_token(Page(HistoryOfLicense7(), request->page_size(), request->page_token(),
                                     [&](const SyncHistoryEntry& entry) { *response->add_entries() = entry; }));
  return grpc::Status::OK;
}

grpc::Status FakeJobService::ListSyncJobs(grpc::ServerContext*, const licensing::v1::ListSyncJobsRequest* request,
                                          licensing::v1::ListSyncJobsResponse* response) {
  absl::MutexLock lock(&mutex_);
  last_jobs_request_ = *request;
  std::vector<licensing::v1::SyncJob> selected;
  for (const auto& job : jobs_) {
    if (request->state() == licensing::v1::SYNC_JOB_STATE_UNSPECIFIED || job.state() == request->state()) {
      selected.push_back(job);
    }
  }
  response->set_next_page_token(Page(selected, request->page_size(), request->page_token(),
                                     [&](const licensing::v1::SyncJob& job) { *response->add_jobs() = job; }));
  return grpc::Status::OK;
}

grpc::Status FakeJobService::GetSyncJob(grpc::ServerContext*, const licensing::v1::GetSyncJobRequest* request,
                                        licensing::v1::GetSyncJobResponse* response) {
  absl::MutexLock lock(&mutex_);
  for (const auto& job : jobs_) {
    if (job.job_id() == request->job_id()) {
      *response->mutable_job() = job;
      return grpc::Status::OK;
    }
  }
  return NotFound("such job");
}

grpc::Status FakeJobService::CancelSyncJob(grpc::ServerContext*, const licensing::v1::CancelSyncJobRequest* request,
                                           licensing::v1::CancelSyncJobResponse* response) {
  absl::MutexLock lock(&mutex_);
  cancelled_job_ids_.push_back(request->job_id());
  for (auto& job : jobs_) {
    if (job.job_id() != request->job_id()) continue;
    job.set_state(licensing::v1::SYNC_JOB_STATE_CANCELLED);
    job.mutable_progress()->set_state(licensing::v1::SYNC_JOB_STATE_CANCELLED);
    *response->mutable_job() = job;
    return grpc::Status::OK;
  }
  return NotFound("such job");
}

grpc::Status FakeJobService::ListDailyRuns(grpc::ServerContext*, const licensing::v1::ListDailyRunsRequest* request,
                                           licensing::v1::ListDailyRunsResponse* response) {
  absl::MutexLock lock(&mutex_);
  response->set_next_page_token(
      Page(daily_runs_, request->page_size(), request->page_token(),
           [&](const licensing::v1::DailyRun& run) { *response->add_daily_runs() = run; }));
  return grpc::Status::OK;
}

grpc::Status FakeJobService::SyncAll(grpc::ServerContext* context, const licensing::v1::SyncAllRequest* request,
                                     grpc::ServerWriter<licensing::v1::SyncAllResponse>* writer) {
  {
    absl::MutexLock lock(&mutex_);
    last_sync_all_request_ = *request;
  }
  return PlayStream(*context, [writer](const SyncProgress& progress) {
    licensing::v1::SyncAllResponse response;
    *response.mutable_progress() = progress;
    return writer->Write(response);
  });
}

grpc::Status FakeJobService::WatchSyncJob(grpc::ServerContext* context,
                                          const licensing::v1::WatchSyncJobRequest* request,
                                          grpc::ServerWriter<licensing::v1::WatchSyncJobResponse>* writer) {
  {
    absl::MutexLock lock(&mutex_);
    const bool known = std::any_of(jobs_.begin(), jobs_.end(),
                                   [&](const auto& job) { return job.job_id() == request->job_id(); });
    if (!known) return NotFound(absl::StrCat("job ", request->job_id()));
  }
  return PlayStream(*context, [writer](const SyncProgress& progress) {
    licensing::v1::WatchSyncJobResponse response;
    *response.mutable_progress() = progress;
    return writer->Write(response);
  });
}

grpc::Status FakeJobService::PlayStream(grpc::ServerContext& context,
                                        const std::function<bool(const SyncProgress&)>& write) {
  ScriptedStream stream;
  {
    absl::MutexLock lock(&mutex_);
    stream = stream_;
    stream_cancelled_by_client_ = false;
  }
  for (const SyncProgress& event : stream.events) {
    if (!write(event)) break;
  }
  if (!stream.hold_open) return stream.status;
  // Only the client ends a held stream; a test that fails to make it do so
  // fails here rather than hanging.
  const absl::Time give_up = absl::Now() + absl::Seconds(30);
  while (!context.IsCancelled() && absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(5));
  absl::MutexLock lock(&mutex_);
  stream_cancelled_by_client_ = context.IsCancelled();
  return grpc::Status::CANCELLED;
}

void FakeJobService::set_jobs(std::vector<licensing::v1::SyncJob> jobs) {
  absl::MutexLock lock(&mutex_);
  jobs_ = std::move(jobs);
}

void FakeJobService::set_daily_runs(std::vector<licensing::v1::DailyRun> runs) {
  absl::MutexLock lock(&mutex_);
  daily_runs_ = std::move(runs);
}

void FakeJobService::set_stream(ScriptedStream stream) {
  absl::MutexLock lock(&mutex_);
  stream_ = std::move(stream);
}

licensing::v1::ListSyncHistoryRequest FakeJobService::last_history_request() {
  absl::MutexLock lock(&mutex_);
  return last_history_request_;
}

licensing::v1::ListSyncJobsRequest FakeJobService::last_jobs_request() {
  absl::MutexLock lock(&mutex_);
  return last_jobs_request_;
}

licensing::v1::SyncAllRequest FakeJobService::last_sync_all_request() {
  absl::MutexLock lock(&mutex_);
  return last_sync_all_request_;
}

std::vector<std::string> FakeJobService::cancelled_job_ids() {
  absl::MutexLock lock(&mutex_);
  return cancelled_job_ids_;
}

bool FakeJobService::WaitForStreamCancelledByClient() {
  absl::MutexLock lock(&mutex_);
  return mutex_.AwaitWithTimeout(absl::Condition(&stream_cancelled_by_client_), absl::Seconds(10));
}

FakeJobServer::FakeJobServer() {
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
  builder.RegisterService(&service_);
  server_ = builder.BuildAndStart();
}

FakeJobServer::~FakeJobServer() {
  if (server_ != nullptr) server_->Shutdown(std::chrono::system_clock::now());
}

std::string FakeJobServer::address() const { return absl::StrCat("127.0.0.1:", port_); }

Outcome FakeJobServer::Run(std::vector<std::string> args, std::function<void(const std::string& out)> on_flush) {
  args.insert(args.begin(), {"--address", address()});
  FlushObservedBuffer out_buffer(std::move(on_flush));
  std::ostream out(&out_buffer);
  std::ostringstream err;
  const ExitCode code = RunLicensectl(
      args, [](absl::string_view) -> absl::optional<std::string> { return absl::nullopt; }, out, err);
  return {code, out_buffer.str(), err.str()};
}

SyncProgress Progress(const std::string& job_id, licensing::v1::SyncJobState state, int64_t total, int64_t in_sync,
                      int64_t not_in_sync, int64_t errors, int64_t skipped) {
  SyncProgress progress;
  progress.set_job_id(job_id);
  progress.set_state(state);
  progress.set_total(total);
  progress.set_in_sync(in_sync);
  progress.set_not_in_sync(not_in_sync);
  progress.set_errors(errors);
  progress.set_skipped(skipped);
  progress.set_processed(in_sync + not_in_sync + errors + skipped);
  return progress;
}

licensing::v1::SyncJob Job(const std::string& job_id, licensing::v1::SyncJobState state, int64_t total,
                           int64_t processed) {
  licensing::v1::SyncJob job;
  job.set_job_id(job_id);
  job.set_state(state);
  job.mutable_scope()->set_state(licensing::v1::LICENSE_STATE_ACTIVE);
  job.set_created_by("alice");
  *job.mutable_create_time() = At(1768471200);
  if (state != licensing::v1::SYNC_JOB_STATE_RUNNING) *job.mutable_end_time() = At(1768471200 + 90);
  *job.mutable_progress() = Progress(job_id, state, total, processed, 0, 0, 0);
  return job;
}

}  // namespace licensectl::testing
