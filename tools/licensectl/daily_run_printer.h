// The daily runs as `daily-runs` prints them. Pure; the text ends in '\n'.
#pragma once

#include <string>

#include "google/protobuf/repeated_ptr_field.h"
#include "licensing/v1/sync.pb.h"

namespace licensectl {

// A table with one row per phase of each run, in the server's order (newest
// run first, phases in the order they ran), the run's date and state
// repeated on each row so that every row stands alone (grep, awk): RUN
// DATE, RUN STATE, PHASE, PHASE STATE, PROCESSED, SUCCEEDED, FAILED,
// STARTED, ENDED, JOB (the SYNC phase's SyncAll job). A run with no phase
// yet has one row with "-" for the phase. The header line is there even
// with no runs.
//
// Then, when any phase failed or had failures, a "Failures:" section:
//   2026-01-15 RENEW  license 7 (PLSK.00000007.0000): KA unavailable
//   2026-01-15 EXPIRE  phase failed: database unavailable
std::string RenderDailyRuns(const google::protobuf::RepeatedPtrField<licensing::v1::DailyRun>& runs);

}  // namespace licensectl
