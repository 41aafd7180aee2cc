// One SyncAll as a caller sees it: the RPC started, its progress read on a
// thread of its own until the final event, and the wall time from the call
// to that event. That wall time is what the benchmark's SyncAll figures
// divide the licenses by.
//
// Not thread-safe: drive it from one thread. The reader thread only starts
// and ends with the object, so children that the driving thread starts
// (the watchers process) are not tied to it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "licensing/v1/license_service.grpc.pb.h"

namespace lss::bench {

struct SyncAllResult {
  std::string job_id;
  int64_t total = 0;
  int64_t processed = 0;
  int64_t in_sync = 0;
  int64_t not_in_sync = 0;
  int64_t errors = 0;
  int64_t skipped = 0;
  int64_t events = 0;       // progress events the caller received
  absl::Duration wall;      // from the call to the final event
  absl::Duration job_time;  // the job's own create to end, as the server recorded it

  // Licenses per second of wall time: what a caller waits for.
  double PerSecond() const;
  // "100000 licenses (100000 in sync, 0 not, 0 errors, 0 skipped), 8,123/s"
  std::string Describe() const;
};

// Empty when `result` covered `licenses` licenses, all In Sync (KA was not
// changed, so anything else means the figure is not what it claims);
// otherwise what differs.
std::string CheckAllInSync(const SyncAllResult& result, int64_t licenses);

class SyncAllCall {
 public:
  // Calls SyncAll (all ACTIVE licenses) on `channel` and reads on.
  SyncAllCall(std::shared_ptr<grpc::Channel> channel, absl::Duration timeout);
  // Cancels the call if it still runs.
  ~SyncAllCall();

  SyncAllCall(const SyncAllCall&) = delete;
  SyncAllCall& operator=(const SyncAllCall&) = delete;

  // The job id, from the first event (sent as soon as the job exists).
  absl::StatusOr<std::string> WaitForJobId(absl::Duration timeout);

  // Blocks until the stream ends. An error unless the final event said
  // SUCCEEDED and the stream ended OK.
  absl::StatusOr<SyncAllResult> Wait();

 private:
  void Read(licensing::v1::LicenseService::Stub& stub);

  const std::shared_ptr<grpc::Channel> channel_;
  grpc::ClientContext context_;
  const absl::Time started_;

  absl::Mutex mu_;
  std::string job_id_ ABSL_GUARDED_BY(mu_);
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
  absl::StatusOr<SyncAllResult> result_ ABSL_GUARDED_BY(mu_);
  std::thread reader_;
};

// SyncAll from start to end, waiting for nothing else.
absl::StatusOr<SyncAllResult> RunSyncAll(std::shared_ptr<grpc::Channel> channel, absl::Duration timeout);

}  // namespace lss::bench
