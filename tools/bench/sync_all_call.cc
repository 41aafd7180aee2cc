#include "bench/sync_all_call.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/stats.h"

namespace lss::bench {
namespace {

using licensing::v1::SyncProgress;

absl::Time ToTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

// The job's own duration, from GetSyncJob: the server's view, without the
// caller's connection or the last progress tick.
absl::Duration JobTime(licensing::v1::LicenseService::Stub& stub, const std::string& job_id) {
  licensing::v1::GetSyncJobRequest request;
  request.set_job_id(job_id);
  licensing::v1::GetSyncJobResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  if (!stub.GetSyncJob(&context, request, &response).ok() || !response.job().has_end_time()) {
    return absl::ZeroDuration();
  }
  return ToTime(response.job().end_time()) - ToTime(response.job().create_time());
}

}  // namespace

double SyncAllResult::PerSecond() const { return Rate(processed, wall); }

std::string SyncAllResult::Describe() const {
  return absl::StrFormat("%d licenses (%d in sync, %d not, %d errors, %d skipped) in %s, %.0f/s", processed, in_sync,
                         not_in_sync, errors, skipped, absl::FormatDuration(wall), PerSecond());
}

std::string CheckAllInSync(const SyncAllResult& result, int64_t licenses) {
  if (result.total == licenses && result.processed == licenses && result.in_sync == licenses) return "";
  return absl::StrCat("expected ", licenses, " licenses all In Sync, got ", result.Describe());
}

SyncAllCall::SyncAllCall(std::shared_ptr<grpc::Channel> channel, absl::Duration timeout)
    : channel_(std::move(channel)), started_(absl::Now()), result_(absl::UnknownError("not ended")) {
  context_.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout));
  reader_ = std::thread([this] {
    auto stub = licensing::v1::LicenseService::NewStub(channel_);
    Read(*stub);
  });
}

SyncAllCall::~SyncAllCall() {
  context_.TryCancel();
  reader_.join();
}

void SyncAllCall::Read(licensing::v1::LicenseService::Stub& stub) {
  auto reader = stub.SyncAll(&context_, licensing::v1::SyncAllRequest{});
  licensing::v1::SyncAllResponse response;
  SyncAllResult result;
  absl::optional<SyncProgress> final_event;
  while (reader->Read(&response)) {
    const SyncProgress& progress = response.progress();
    ++result.events;
    if (result.events == 1) {
      absl::MutexLock lock(&mu_);
      job_id_ = progress.job_id();
    }
    if (!final_event && progress.state() != licensing::v1::SYNC_JOB_STATE_RUNNING) {
      result.wall = absl::Now() - started_;
      final_event = progress;
    }
  }
  const grpc::Status status = reader->Finish();

  absl::StatusOr<SyncAllResult> outcome = std::move(result);
  if (!status.ok()) {
    outcome = absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                           absl::StrCat("SyncAll: ", status.error_message()));
  } else if (!final_event) {
    outcome = absl::InternalError("SyncAll ended without a final event");
  } else if (final_event->state() != licensing::v1::SYNC_JOB_STATE_SUCCEEDED) {
    outcome = absl::InternalError(absl::StrCat("SyncAll job ", final_event->job_id(), " ended in state ",
                                               licensing::v1::SyncJobState_Name(final_event->state())));
  } else {
    outcome->job_id = final_event->job_id();
    outcome->total = final_event->total();
    outcome->processed = final_event->processed();
    outcome->in_sync = final_event->in_sync();
    outcome->not_in_sync = final_event->not_in_sync();
    outcome->errors = final_event->errors();
    outcome->skipped = final_event->skipped();
    outcome->job_time = JobTime(stub, outcome->job_id);
  }
  absl::MutexLock lock(&mu_);
  result_ = std::move(outcome);
  ended_ = true;
}

absl::StatusOr<std::string> SyncAllCall::WaitForJobId(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto known = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !job_id_.empty() || ended_; };
  mu_.AwaitWithTimeout(absl::Condition(&known), timeout);
  if (!job_id_.empty()) return job_id_;
  if (ended_ && !result_.ok()) return result_.status();
  return absl::DeadlineExceededError("SyncAll sent no progress event");
}

absl::StatusOr<SyncAllResult> SyncAllCall::Wait() {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(&ended_));
  return result_;
}

absl::StatusOr<SyncAllResult> RunSyncAll(std::shared_ptr<grpc::Channel> channel, absl::Duration timeout) {
  SyncAllCall call(std::move(channel), timeout);
  return call.Wait();
}

}  // namespace lss::bench
