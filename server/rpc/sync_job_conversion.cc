#include "server/rpc/sync_job_conversion.h"

#include "common/status/error_details.h"
#include "server/rpc/license_conversion.h"
#include "server/rpc/time_conversion.h"

namespace lss {
namespace {

licensing::v1::SyncJobState ToProtoState(SyncJobState state) {
  return static_cast<licensing::v1::SyncJobState>(static_cast<int>(state));
}

void SetCounts(const SyncJobCounts& counts, licensing::v1::SyncProgress* out) {
  out->set_total(counts.total);
  out->set_processed(counts.processed);
  out->set_in_sync(counts.in_sync);
  out->set_not_in_sync(counts.not_in_sync);
  out->set_errors(counts.errors);
  out->set_skipped(counts.skipped);
}

licensing::v1::LicenseFilter ScopeToProto(const LicenseFilter& scope) {
  licensing::v1::LicenseFilter out;
  if (scope.sync_status) out.set_sync_status(ToProto(*scope.sync_status));
  if (scope.state) out.set_state(ToProto(*scope.state));
  out.set_license_class(scope.license_class);
  out.set_key_number_prefix(scope.key_number_prefix);
  if (scope.usable_until_before) SetTimestamp(*scope.usable_until_before, out.mutable_usable_until_before());
  return out;
}

}  // namespace

void ToProto(const SyncProgressSnapshot& snapshot, licensing::v1::SyncProgress* out) {
  out->set_job_id(snapshot.job_id);
  out->set_state(ToProtoState(snapshot.state));
  SetCounts(snapshot.counts, out);
  out->set_rate_per_second(snapshot.rate_per_second);
  if (snapshot.eta) {
    SetDuration(*snapshot.eta, out->mutable_eta());
  }
  out->set_waiting_for_key_administrator(snapshot.waiting_for_key_administrator);
  SetTimestamp(snapshot.update_time, out->mutable_update_time());
}

void ToProto(const SyncJobRecord& job, licensing::v1::SyncJob* out) {
  out->set_job_id(job.job_id);
  out->set_state(ToProtoState(job.state));
  *out->mutable_scope() = ScopeToProto(job.scope);
  out->set_created_by(job.created_by);
  SetTimestamp(job.create_time, out->mutable_create_time());
  if (job.end_time) SetTimestamp(*job.end_time, out->mutable_end_time());
  licensing::v1::SyncProgress* progress = out->mutable_progress();
  progress->set_job_id(job.job_id);
  progress->set_state(ToProtoState(job.state));
  SetCounts(job.counts, progress);
  out->set_error(job.error);
}

absl::StatusOr<absl::optional<SyncJobState>> FromProto(licensing::v1::SyncJobState state) {
  switch (state) {
    case licensing::v1::SYNC_JOB_STATE_UNSPECIFIED: return absl::optional<SyncJobState>();
    case licensing::v1::SYNC_JOB_STATE_RUNNING: return SyncJobState::kRunning;
    case licensing::v1::SYNC_JOB_STATE_SUCCEEDED: return SyncJobState::kSucceeded;
    case licensing::v1::SYNC_JOB_STATE_CANCELLED: return SyncJobState::kCancelled;
    case licensing::v1::SYNC_JOB_STATE_FAILED: return SyncJobState::kFailed;
    default: return InvalidArgumentError("state", "unknown sync job state");
  }
}

}  // namespace lss
