// Many watchers of one SyncAll job, as dashboards would be: WatchSyncJob
// streams read to their end. Runs in a process of its own (the benchmark
// starts itself with --mode=watchers), so that the watchers' CPU is not the
// benchmark's, and the job's throughput with them is compared with the
// throughput without.
//
// The process starts before the job does, connects, says so (ready_file),
// then waits for the job id (job_id_file), so that the watchers attach as
// soon as the job exists, without a process start or connections in the way.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace lss::bench {

struct WatchFleetOptions {
  std::string target;       // license-server
  std::string ready_file;   // written once connected
  std::string job_id_file;  // polled for the job to watch
  int watchers = 1000;
  int connections = 10;  // the watchers are spread over this many channels
  std::string report_file;
  absl::Duration timeout = absl::Minutes(30);
};

// What the fleet saw; written by the child, read by the benchmark.
struct WatchFleetReport {
  int watchers = 0;
  int ended_ok = 0;         // streams that ended with status OK
  int saw_final = 0;        // streams that received the final event
  int64_t events = 0;       // progress events received, all streams
  absl::Duration attached;  // from reading the job id until every watcher had its first event
};

// The child's whole life: connects, waits for the job id, attaches every
// watcher, reads every stream to its end, writes the report. Returns the
// process's exit code (0 unless it could not connect, got no job id, or
// could not write the report).
int RunWatchFleet(const WatchFleetOptions& options);

absl::StatusOr<WatchFleetReport> ReadWatchFleetReport(const std::string& path);

}  // namespace lss::bench
