// Daily runs as stored: one per UTC day, its phases, and the licenses each
// phase could not process. Plain values; copy them freely.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "absl/types/optional.h"

namespace lss {

// Values match licensing.v1.DailyRunState.
enum class DailyRunState { kRunning = 1, kSucceeded = 2, kFailed = 3 };

// Values match licensing.v1.DailyRunPhaseKind; also the order they run in.
enum class DailyRunPhaseKind { kSync = 1, kRenew = 2, kExpire = 3, kPrune = 4 };

// A phase keeps at most this many failures; `failed` counts them all.
inline constexpr size_t kMaxDailyRunFailures = 100;

struct DailyRunFailure {
  int64_t license_id = 0;
  std::string key_number;
  std::string error;

  bool operator==(const DailyRunFailure&) const = default;
};

struct DailyRunPhase {
  DailyRunPhaseKind kind = DailyRunPhaseKind::kSync;
  DailyRunState state = DailyRunState::kRunning;
  int64_t processed = 0;
  int64_t succeeded = 0;
  int64_t failed = 0;
  std::vector<DailyRunFailure> failures;  // the first kMaxDailyRunFailures
  std::string job_id;                     // the SYNC phase's SyncAll job
  absl::Time start_time = absl::UnixEpoch();
  absl::optional<absl::Time> end_time;    // unset while running
  std::string error;                      // why it FAILED as a whole

  bool operator==(const DailyRunPhase&) const = default;
};

struct DailyRunRecord {
  std::string run_date;  // YYYY-MM-DD, UTC
  std::string run_id;
  DailyRunState state = DailyRunState::kRunning;
  // The replica running it and its claim (see DailyRunRepository::Claim).
  std::string owner;
  int64_t attempts = 0;
  absl::Time lease_expires_at = absl::UnixEpoch();
  absl::Time start_time = absl::UnixEpoch();
  absl::optional<absl::Time> end_time;
  std::vector<DailyRunPhase> phases;  // in kind order; only those started

  bool operator==(const DailyRunRecord&) const = default;
};

}  // namespace lss
