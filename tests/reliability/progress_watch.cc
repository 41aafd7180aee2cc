#include "tests/reliability/progress_watch.h"

#include <chrono>
#include <utility>

namespace lss::reliability {

ProgressWatch::ProgressWatch(std::shared_ptr<licensing::v1::LicenseService::Stub> stub) : stub_(std::move(stub)) {
  // Long enough for the full-size job with its faults; a hang still ends.
  context_.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(15));
}

std::unique_ptr<ProgressWatch> ProgressWatch::SyncAll(std::shared_ptr<licensing::v1::LicenseService::Stub> stub,
                                                      const licensing::v1::SyncAllRequest& request) {
  std::unique_ptr<ProgressWatch> watch(new ProgressWatch(std::move(stub)));
  ProgressWatch* self = watch.get();
  watch->thread_ = std::thread([self, request] {
    auto reader = self->stub_->SyncAll(&self->context_, request);
    licensing::v1::SyncAllResponse response;
    while (reader->Read(&response)) self->Add(response.progress());
    self->End(reader->Finish());
  });
  return watch;
}

std::unique_ptr<ProgressWatch> ProgressWatch::Watch(std::shared_ptr<licensing::v1::LicenseService::Stub> stub,
                                                    const std::string& job_id) {
  std::unique_ptr<ProgressWatch> watch(new ProgressWatch(std::move(stub)));
  ProgressWatch* self = watch.get();
  watch->thread_ = std::thread([self, job_id] {
    licensing::v1::WatchSyncJobRequest request;
    request.set_job_id(job_id);
    auto reader = self->stub_->WatchSyncJob(&self->context_, request);
    licensing::v1::WatchSyncJobResponse response;
    while (reader->Read(&response)) self->Add(response.progress());
    self->End(reader->Finish());
  });
  return watch;
}

ProgressWatch::~ProgressWatch() {
  context_.TryCancel();
  thread_.join();
}

void ProgressWatch::Add(const licensing::v1::SyncProgress& progress) {
  absl::MutexLock lock(&mu_);
  events_.push_back(progress);
}

void ProgressWatch::End(grpc::Status status) {
  absl::MutexLock lock(&mu_);
  ended_ = std::move(status);
}

bool ProgressWatch::WaitForEvent(const std::function<bool(const licensing::v1::SyncProgress&)>& matches,
                                 absl::Duration timeout) {
  size_t seen = 0;
  auto found_or_ended = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    for (; seen < events_.size(); ++seen) {
      if (matches(events_[seen])) return true;
    }
    return ended_.has_value();
  };
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(&found_or_ended), timeout);
  for (const licensing::v1::SyncProgress& event : events_) {
    if (matches(event)) return true;
  }
  return false;
}

int ProgressWatch::CountEvents(const std::function<bool(const licensing::v1::SyncProgress&)>& matches) {
  absl::MutexLock lock(&mu_);
  int count = 0;
  for (const licensing::v1::SyncProgress& event : events_) count += matches(event) ? 1 : 0;
  return count;
}

std::string ProgressWatch::job_id() {
  absl::MutexLock lock(&mu_);
  return events_.empty() ? "" : events_.front().job_id();
}

std::vector<licensing::v1::SyncProgress> ProgressWatch::events() {
  absl::MutexLock lock(&mu_);
  return events_;
}

std::optional<grpc::Status> ProgressWatch::ended() {
  absl::MutexLock lock(&mu_);
  return ended_;
}

}  // namespace lss::reliability
