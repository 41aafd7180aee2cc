// One progress stream of a SyncAll job read on a thread of its own, so that
// the test's thread stays free to inject faults while the job runs: either
// the SyncAll call that starts the job, or a WatchSyncJob on a job by id.
// The stream may end early (its server killed, its database restarted);
// the events seen until then stay readable. Thread-safe; the destructor
// cancels the stream and joins the thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "licensing/v1/license_service.grpc.pb.h"

namespace lss::reliability {

class ProgressWatch {
 public:
  // Calls SyncAll on `stub` (by default of every license).
  static std::unique_ptr<ProgressWatch> SyncAll(std::shared_ptr<licensing::v1::LicenseService::Stub> stub,
                                                const licensing::v1::SyncAllRequest& request = {});
  // Calls WatchSyncJob(job_id) on `stub`.
  static std::unique_ptr<ProgressWatch> Watch(std::shared_ptr<licensing::v1::LicenseService::Stub> stub,
                                              const std::string& job_id);
  ~ProgressWatch();

  // Waits until an event satisfies `matches` (true) or the stream ended or
  // `timeout` passed (false).
  bool WaitForEvent(const std::function<bool(const licensing::v1::SyncProgress&)>& matches,
                    absl::Duration timeout);
  // Events so far that satisfy `matches`.
  int CountEvents(const std::function<bool(const licensing::v1::SyncProgress&)>& matches);
  // The job's id, from the first event; empty before it.
  std::string job_id();
  std::vector<licensing::v1::SyncProgress> events();
  // The stream's status once it ended.
  std::optional<grpc::Status> ended();

 private:
  explicit ProgressWatch(std::shared_ptr<licensing::v1::LicenseService::Stub> stub);
  void Add(const licensing::v1::SyncProgress& progress);
  void End(grpc::Status status);

  std::shared_ptr<licensing::v1::LicenseService::Stub> stub_;
  grpc::ClientContext context_;
  absl::Mutex mu_;
  std::vector<licensing::v1::SyncProgress> events_ ABSL_GUARDED_BY(mu_);
  std::optional<grpc::Status> ended_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace lss::reliability
