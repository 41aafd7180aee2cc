#include "server/rpc/daily_run_conversion.h"

#include "server/rpc/time_conversion.h"

namespace lss {
namespace {

// The storage enums carry the proto's numbers (daily_run_model.h).
licensing::v1::DailyRunState ToProto(DailyRunState state) {
  return static_cast<licensing::v1::DailyRunState>(state);
}

void ToProto(const DailyRunPhase& phase, licensing::v1::DailyRunPhase* out) {
  out->set_kind(static_cast<licensing::v1::DailyRunPhaseKind>(phase.kind));
  out->set_state(ToProto(phase.state));
  out->set_processed(phase.processed);
  out->set_succeeded(phase.succeeded);
  out->set_failed(phase.failed);
  for (const DailyRunFailure& failure : phase.failures) {
    licensing::v1::DailyRunFailure* failure_out = out->add_failures();
    failure_out->set_license_id(failure.license_id);
    failure_out->set_key_number(failure.key_number);
    failure_out->set_error(failure.error);
  }
  out->set_job_id(phase.job_id);
  SetTimestamp(phase.start_time, out->mutable_start_time());
  if (phase.end_time.has_value()) SetTimestamp(*phase.end_time, out->mutable_end_time());
  out->set_error(phase.error);
}

}  // namespace

void ToProto(const DailyRunRecord& run, licensing::v1::DailyRun* out) {
  out->set_run_id(run.run_id);
  out->set_run_date(run.run_date);
  out->set_state(ToProto(run.state));
  for (const DailyRunPhase& phase : run.phases) ToProto(phase, out->add_phases());
  SetTimestamp(run.start_time, out->mutable_start_time());
  if (run.end_time.has_value()) SetTimestamp(*run.end_time, out->mutable_end_time());
}

}  // namespace lss
