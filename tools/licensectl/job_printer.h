// SyncAll jobs as operators read them: the table of `jobs`, the state
// names, and the summary that ends `sync-all` and `watch`. Pure functions of
// the messages; the text ends in '\n'.
#pragma once

#include <string>

#include "google/protobuf/repeated_ptr_field.h"
#include "licensing/v1/sync.pb.h"

namespace licensectl {

// SYNC_JOB_STATE_SUCCEEDED: "SUCCEEDED".
std::string SyncJobStateName(licensing::v1::SyncJobState state);

// The table of `jobs`: JOB ID, STATE, SCOPE (as DescribeLicenseFilter
// writes it), STARTED BY, TOTAL, PROCESSED, IN SYNC, NOT IN SYNC, ERRORS,
// SKIPPED, STARTED, ENDED ("-" while running), with the header line even
// when there are no jobs.
std::string RenderJobTable(const google::protobuf::RepeatedPtrField<licensing::v1::SyncJob>& jobs);

// How a followed job ended, from its final event:
//   Job job-1f2e SUCCEEDED: 300 of 300 licenses processed: 290 in sync, 8 not in sync, 1 error, 1 skipped.
// then a line saying where to look next when licenses are Not In Sync or
// failed. `error` is the job's own error (SyncJob.error), shown when it
// failed; may be empty.
std::string RenderJobSummary(const licensing::v1::SyncProgress& final_progress, const std::string& error);

}  // namespace licensectl
