// Translation of SyncAll jobs and their progress to licensing.v1 messages.
// Pure functions; thread-safe.
#pragma once

#include "absl/status/statusor.h"
#include "licensing/v1/sync.pb.h"
#include "server/jobs/sync_progress.h"
#include "storage/sync_job_model.h"

namespace lss {

void ToProto(const SyncProgressSnapshot& snapshot, licensing::v1::SyncProgress* out);
void ToProto(const SyncJobRecord& job, licensing::v1::SyncJob* out);

// Unspecified: any state; unknown numbers are INVALID_ARGUMENT on `state`.
absl::StatusOr<absl::optional<SyncJobState>> FromProto(licensing::v1::SyncJobState state);

}  // namespace lss
