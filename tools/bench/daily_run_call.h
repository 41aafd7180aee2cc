// One daily run as an operator sees it (issue 16 item 6): license-server
// started with the run due at once (--daily_at=00:00 has always come by
// now), ListDailyRuns polled until the run has ended, and the run's phases
// (sync, renew, expire, prune) read back with the times the server stamped
// on them. A database holds one run per UTC day, so a size gets one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bench/bench_database.h"
#include "tests/harness/harness.h"

namespace lss::bench {

struct DailyPhaseResult {
  std::string kind;  // "sync", "renew", "expire", "prune"
  std::string state;
  int64_t processed = 0;
  int64_t succeeded = 0;
  int64_t failed = 0;
  absl::Duration time;  // the phase's end_time - start_time
};

struct DailyRunResult {
  std::string state;
  absl::Duration time;  // the run's end_time - start_time
  std::vector<DailyPhaseResult> phases;
};

// Starts license-server over `database` and `ka` (with `server_flags`) so
// that it runs today's daily run, waits up to `timeout` for it to end, and
// stops the server. The database must hold no run for today.
absl::StatusOr<DailyRunResult> RunDailyRun(const BenchDatabase& database, const harness::KaMockProcess& ka,
                                           const std::string& work_dir, const std::string& name,
                                           const std::vector<std::string>& server_flags, absl::Duration timeout);

}  // namespace lss::bench
