// A snapshot of a SyncAll job's progress, as the domain publishes it and
// watchers receive it. Plain value.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "storage/sync_job_model.h"

namespace lss {

struct SyncProgressSnapshot {
  std::string job_id;
  SyncJobState state = SyncJobState::kRunning;
  SyncJobCounts counts;
  double rate_per_second = 0;            // licenses processed per second, recently
  absl::optional<absl::Duration> eta;    // unset while the rate is unknown
  bool waiting_for_key_administrator = false;
  absl::Time update_time = absl::UnixEpoch();

  bool final() const { return state != SyncJobState::kRunning; }
};

}  // namespace lss
