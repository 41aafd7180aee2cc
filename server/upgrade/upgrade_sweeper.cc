#include "server/upgrade/upgrade_sweeper.h"

#include <string>

#include "common/log/structured_log.h"

namespace lss {
namespace {

void Report(const char* what, const absl::Status& error) {
  LogEvent(LogLevel::kError, "upgrade_sweep_failed").Field("what", what).Field("error", error.ToString());
}

}  // namespace

void UpgradeSweeper::Start() {
  thread_ = std::thread([this] {
    for (;;) {
      SweepOnce();
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(&stopping_), interval_);
      if (stopping_) return;
    }
  });
}

void UpgradeSweeper::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void UpgradeSweeper::SweepOnce() {
  if (absl::StatusOr<int> taken = placement_.RecoverAbandoned(); !taken.ok()) {
    Report("recovering orders left placing", taken.status());
  }
  if (absl::StatusOr<int64_t> expired = sessions_.upgrades().ExpireDue(sessions_.clock().Now()); !expired.ok()) {
    Report("expiring sessions", expired.status());
  }
}

}  // namespace lss
