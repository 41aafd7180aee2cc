// One watcher's stream of SyncAll progress (SyncAll and WatchSyncJob): a
// gRPC write reactor fed by the ProgressHub. One write in flight at a time;
// when newer snapshots arrive meanwhile, only the latest is sent next, so a
// slow watcher skips intermediate events and never slows the job. The final
// snapshot is always sent, then the stream ends OK.
//
// Owns itself: created per call, deleted in OnDone. Thread-safe.
#pragma once

#include <grpcpp/support/server_callback.h>

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "server/jobs/progress_hub.h"
#include "server/rpc/grpc_status.h"
#include "server/rpc/sync_job_conversion.h"

namespace lss {

template <typename Response>
class ProgressStream final : public grpc::ServerWriteReactor<Response>, public ProgressSink {
 public:
  // A stream for a job not known yet: the handler returns it at once and
  // calls Attach() or Fail() when the domain has answered.
  static ProgressStream* Create(ProgressHub& hub) { return new ProgressStream(hub); }

  // Streams `job_id`'s progress from its current snapshot on, as a watcher
  // of `caller` (CallerKey); fails the stream when the hub refuses one more
  // watcher. Call exactly one of Attach() and Fail(), once.
  void Attach(std::string job_id, const std::string& caller) {
    {
      absl::MutexLock lock(&mu_);
      job_id_ = std::move(job_id);
    }
    const absl::StatusOr<ProgressHub::SubscriptionId> id = hub_.Subscribe(job_id_, caller, this);
    if (!id.ok()) return Fail(ToGrpcStatus(id.status()));
    bool done = false;
    {
      absl::MutexLock lock(&mu_);
      subscription_ = *id;
      awaiting_domain_ = false;
      done = done_;
    }
    if (done) Destroy();  // the call ended while the job was being found
  }

  void Fail(const grpc::Status& status) {
    bool done = false;
    {
      absl::MutexLock lock(&mu_);
      FinishOnce(status);
      awaiting_domain_ = false;
      done = done_;
    }
    if (done) Destroy();
  }

  void OnProgress() override {
    absl::MutexLock lock(&mu_);
    if (writing_) {
      newer_waiting_ = true;
      return;
    }
    WriteLatest();
  }

  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (!ok || final_sent_) return FinishOnce(ok ? grpc::Status::OK : grpc::Status::CANCELLED);
    if (newer_waiting_) {
      newer_waiting_ = false;
      WriteLatest();
    }
  }

  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    FinishOnce(grpc::Status::CANCELLED);
  }

  void OnDone() override {
    {
      absl::MutexLock lock(&mu_);
      done_ = true;
      // Attach() or Fail() is still to come from the pool: it cleans up.
      if (awaiting_domain_) return;
    }
    Destroy();
  }

 private:
  // The callbacks (OnCancel first of all) run on gRPC's threads, ordered
  // after this constructor by gRPC's core alone; publishing the new state
  // under the lock orders it through mu_ as well, which ThreadSanitizer
  // (tools/ci/run-sanitizers.sh tsan) can see, for the cost of one
  // uncontended lock per call.
  explicit ProgressStream(ProgressHub& hub) : hub_(hub) { absl::MutexLock publish(&mu_); }

  void Destroy() {
    ProgressHub::SubscriptionId subscription = 0;
    {
      absl::MutexLock lock(&mu_);
      subscription = subscription_;
    }
    if (subscription != 0) hub_.Unsubscribe(job_id_, subscription);
    delete this;
  }

  void WriteLatest() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_ || final_sent_) return;
    absl::optional<SyncProgressSnapshot> latest = hub_.Latest(job_id_);
    if (!latest) return;
    response_.Clear();
    ToProto(*latest, response_.mutable_progress());
    final_sent_ = latest->final();
    writing_ = true;
    this->StartWrite(&response_);
  }

  void FinishOnce(const grpc::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_) return;
    finished_ = true;
    this->Finish(status);
  }

  ProgressHub& hub_;
  // Set once by Attach(), before any other thread reads it.
  std::string job_id_;

  absl::Mutex mu_;
  ProgressHub::SubscriptionId subscription_ ABSL_GUARDED_BY(mu_) = 0;
  Response response_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool newer_waiting_ ABSL_GUARDED_BY(mu_) = false;
  bool final_sent_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  bool awaiting_domain_ ABSL_GUARDED_BY(mu_) = true;  // until Attach() or Fail()
  bool done_ ABSL_GUARDED_BY(mu_) = false;             // OnDone() ran
};

}  // namespace lss
