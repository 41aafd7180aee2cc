// Starts the daily run when its time has come. Every replica runs one; the
// database lets one replica claim each day (DailyRunRepository::Claim), and
// lets another take the run over when that one dies mid-run.
//
// Start() starts its thread, which looks every `check_interval`; Stop()
// (also on destruction) stops a run under way at its next step, leaving it
// to be resumed.
#pragma once

#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "server/daily/daily_runner.h"
#include "storage/daily_run_repository.h"

namespace lss {

struct DailySchedulerOptions {
  absl::Duration time_of_day = absl::Hours(2);  // UTC
  absl::Duration check_interval = absl::Minutes(1);
  std::string replica_id;  // the owner name of its claims
  absl::Duration lease = absl::Seconds(30);
};

class DailyScheduler {
 public:
  DailyScheduler(DailyRunRepository& runs, DailyRunner& runner, const Clock& clock,
                 DailySchedulerOptions options)
      : runs_(runs), runner_(runner), clock_(clock), options_(std::move(options)) {}
  ~DailyScheduler() { Stop(); }

  void Start();
  void Stop();

  // One look: claims and runs the day's run when it is due and no replica
  // has it. The thread calls it; tests may call it directly.
  void CheckOnce();

 private:
  void Loop();

  DailyRunRepository& runs_;
  DailyRunner& runner_;
  const Clock& clock_;
  const DailySchedulerOptions options_;

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // The last day known to be done, so that it is not claimed again.
  std::string done_date_;
  std::thread thread_;
};

}  // namespace lss
