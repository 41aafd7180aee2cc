#include "server/daily/daily_scheduler.h"


#include "absl/random/random.h"
#include "absl/strings/str_format.h"
#include "common/log/structured_log.h"
#include "server/daily/daily_schedule.h"

namespace lss {
namespace {

std::string NewRunId() {
  thread_local absl::BitGen gen;
  return absl::StrFormat("run-%016x", absl::Uniform<uint64_t>(gen));
}

void Report(absl::string_view run_date, const absl::Status& status) {
  LogEvent(LogLevel::kError, "daily_run_failed").Field("run_date", run_date).Field("error", status.ToString());
}

}  // namespace

void DailyScheduler::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void DailyScheduler::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  runner_.Stop();
  if (thread_.joinable()) thread_.join();
}

void DailyScheduler::Loop() {
  for (;;) {
    CheckOnce();
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), options_.check_interval);
    if (stopping_) return;
  }
}

void DailyScheduler::CheckOnce() {
  const absl::optional<std::string> due = DueRunDate(clock_.Now(), options_.time_of_day);
  if (!due.has_value() || *due == done_date_) return;
  absl::StatusOr<absl::optional<DailyRunRecord>> claim =
      runs_.Claim(*due, NewRunId(), options_.replica_id, clock_.Now(), options_.lease);
  if (!claim.ok()) {
    Report(*due, claim.status());
    return;
  }
  if (!claim->has_value()) {
    // Another replica runs it, or it is over: only the latter is final.
    absl::StatusOr<DailyRunRecord> run = runs_.Get(*due);
    if (run.ok() && run->state != DailyRunState::kRunning) done_date_ = *due;
    return;
  }
  const absl::Status ran = runner_.Run(**std::move(claim));
  if (ran.ok()) {
    done_date_ = *due;
  } else if (!absl::IsCancelled(ran)) {
    Report(*due, ran);
  }
}

}  // namespace lss
