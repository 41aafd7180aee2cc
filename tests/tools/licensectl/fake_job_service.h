// An in-process LicenseService for the tests of licensectl's job and
// history commands (history, jobs, watch, sync-all, daily-runs): it answers
// from data the test sets, records the requests it gets, and streams the
// progress events the test scripts, on 127.0.0.1:0. app_test.cc's fake
// covers the license commands; this one is kept apart so that each stays
// small.
//
// Thread-safe: gRPC calls the handlers on its threads while the test sets
// data and reads requests on its own.
#pragma once

#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/grpcpp.h"
#include "licensectl/exit_codes.h"
#include "licensing/v1/license_service.grpc.pb.h"

namespace licensectl::testing {

// What a progress stream (SyncAll, WatchSyncJob) does: write `events`, then
// end with `status`, or, with `hold_open`, wait until the client cancels
// (Ctrl-C, idle timeout).
struct ScriptedStream {
  // Every member has a default initializer (designated initializers).
  std::vector<licensing::v1::SyncProgress> events = {};
  grpc::Status status = grpc::Status::OK;
  bool hold_open = false;
};

class FakeJobService final : public licensing::v1::LicenseService::Service {
 public:
  // License 7 (or key PLSK.00000007) has three history entries, newest
  // first: In Sync by job-1, Not In Sync by a single sync, a failed attempt.
  // Any other license is NOT_FOUND. Pages: the token is the next index.
  grpc::Status ListSyncHistory(grpc::ServerContext* context, const licensing::v1::ListSyncHistoryRequest* request,
                               licensing::v1::ListSyncHistoryResponse* response) override;
  // The jobs set with set_jobs(), filtered by state, paged by index.
  grpc::Status ListSyncJobs(grpc::ServerContext* context, const licensing::v1::ListSyncJobsRequest* request,
                            licensing::v1::ListSyncJobsResponse* response) override;
  grpc::Status GetSyncJob(grpc::ServerContext* context, const licensing::v1::GetSyncJobRequest* request,
                          licensing::v1::GetSyncJobResponse* response) override;
  // Marks the job CANCELLED and answers it.
  grpc::Status CancelSyncJob(grpc::ServerContext* context, const licensing::v1::CancelSyncJobRequest* request,
                             licensing::v1::CancelSyncJobResponse* response) override;
  // The runs set with set_daily_runs(), paged by index.
  grpc::Status ListDailyRuns(grpc::ServerContext* context, const licensing::v1::ListDailyRunsRequest* request,
                             licensing::v1::ListDailyRunsResponse* response) override;
  grpc::Status SyncAll(grpc::ServerContext* context, const licensing::v1::SyncAllRequest* request,
                       grpc::ServerWriter<licensing::v1::SyncAllResponse>* writer) override;
  // NOT_FOUND for a job not in set_jobs(); otherwise the scripted stream.
  grpc::Status WatchSyncJob(grpc::ServerContext* context, const licensing::v1::WatchSyncJobRequest* request,
                            grpc::ServerWriter<licensing::v1::WatchSyncJobResponse>* writer) override;

  void set_jobs(std::vector<licensing::v1::SyncJob> jobs);
  void set_daily_runs(std::vector<licensing::v1::DailyRun> runs);
  void set_stream(ScriptedStream stream);

  licensing::v1::ListSyncHistoryRequest last_history_request();
  licensing::v1::ListSyncJobsRequest last_jobs_request();
  licensing::v1::SyncAllRequest last_sync_all_request();
  std::vector<std::string> cancelled_job_ids();
  // Waits until a held stream sees the client cancel; false if it did not
  // within 10 s. (The client's call ends before the server's handler sees it.)
  bool WaitForStreamCancelledByClient();

 private:
  // Plays the scripted stream through `write` (false: the client is gone).
  grpc::Status PlayStream(grpc::ServerContext& context,
                          const std::function<bool(const licensing::v1::SyncProgress&)>& write);

  absl::Mutex mutex_;
  std::vector<licensing::v1::SyncJob> jobs_ ABSL_GUARDED_BY(mutex_);
  std::vector<licensing::v1::DailyRun> daily_runs_ ABSL_GUARDED_BY(mutex_);
  ScriptedStream stream_ ABSL_GUARDED_BY(mutex_);
  licensing::v1::ListSyncHistoryRequest last_history_request_ ABSL_GUARDED_BY(mutex_);
  licensing::v1::ListSyncJobsRequest last_jobs_request_ ABSL_GUARDED_BY(mutex_);
  licensing::v1::SyncAllRequest last_sync_all_request_ ABSL_GUARDED_BY(mutex_);
  std::vector<std::string> cancelled_job_ids_ ABSL_GUARDED_BY(mutex_);
  bool stream_cancelled_by_client_ ABSL_GUARDED_BY(mutex_) = false;
};

// What one licensectl run did.
struct Outcome {
  ExitCode code;
  std::string out;
  std::string err;
};

// A FakeJobService served on 127.0.0.1:0, and licensectl run against it
// in-process (RunLicensectl, with no environment).
class FakeJobServer {
 public:
  FakeJobServer();
  ~FakeJobServer();

  FakeJobService& service() { return service_; }
  std::string address() const;

  // licensectl --address <the fake> `args`. `on_flush`, if given, runs on
  // the caller's thread each time licensectl flushes stdout, with all it
  // wrote so far: a test reacts to what licensectl has shown (e.g. presses
  // Ctrl-C once the first event is on screen).
  Outcome Run(std::vector<std::string> args, std::function<void(const std::string& out)> on_flush = {});

 private:
  FakeJobService service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

// A progress event of job `job_id`.
licensing::v1::SyncProgress Progress(const std::string& job_id, licensing::v1::SyncJobState state, int64_t total,
                                     int64_t in_sync, int64_t not_in_sync, int64_t errors, int64_t skipped);

// A job as ListSyncJobs answers it.
licensing::v1::SyncJob Job(const std::string& job_id, licensing::v1::SyncJobState state, int64_t total,
                           int64_t processed);

}  // namespace licensectl::testing
