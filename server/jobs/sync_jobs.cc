#include "server/jobs/sync_jobs.h"

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status/error_details.h"
#include "server/paging/paging.h"

namespace lss {
namespace {

constexpr size_t kMaxJobIdLength = 64;
constexpr int64_t kBulkSweepChunkFactor = 10;

std::string NewJobId() {
  thread_local absl::BitGen gen;
  return absl::StrFormat("job-%016x", absl::Uniform<uint64_t>(gen));
}

absl::Status ValidateJobId(absl::string_view job_id) {
  if (job_id.empty()) return InvalidArgumentError("job_id", "is required");
  if (job_id.size() > kMaxJobIdLength) {
    return InvalidArgumentError("job_id", absl::StrCat("must be at most ", kMaxJobIdLength, " characters"));
  }
  // Job ids are "job-" and hex digits; anything but printable ASCII names
  // no job and need not reach the database.
  for (char c : job_id) {
    if (!absl::ascii_isgraph(static_cast<unsigned char>(c))) {
      return InvalidArgumentError("job_id", "must be printable ASCII without spaces");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SyncJobRecord> SyncJobs::StartOrAttach(const CallerIdentity& caller, LicenseFilter scope) {
  if (absl::Status valid = ValidateLicenseFilter(scope, "scope."); !valid.ok()) return valid;
  if (scope == LicenseFilter{}) scope.state = LicenseState::kActive;  // DESIGN: all licenses in use
  // As the job's row keeps it, so that the running job's scope read back
  // compares equal to the same scope asked for again.
  if (scope.usable_until_before) {
    scope.usable_until_before = absl::FromUnixMicros(absl::ToUnixMicros(*scope.usable_until_before));
  }
  // ListKeys reads KA's whole account: worth it when the job covers every
  // license in use, not for a class or a handful of Not In Sync ones.
  LicenseFilter every_active;
  every_active.state = LicenseState::kActive;
  const bool bulk = bulk_ && scope == every_active;
  // A bulk job's ranges are a sweep for the few licenses no page covered:
  // mostly empty, so fewer, larger ranges save a claim and a commit each.
  const int64_t chunk_size = bulk ? chunk_size_ * kBulkSweepChunkFactor : chunk_size_;
  NewSyncJob job{NewJobId(), scope, caller.name, chunk_size, bulk};
  absl::StatusOr<StartedJob> started = jobs_.StartOrAttach(job, clock_.Now());
  if (!started.ok()) return started.status();
  // Scopes compare field by field: no text of one can pass for another.
  if (!started->created && started->job.scope != job.scope) {
    return WithMetadata(
        WithReason(absl::AbortedError(absl::StrCat("sync job ", started->job.job_id,
                                                   " with another scope is running; watch it or cancel it first")),
                   kReasonSyncJobRunning),
        "job_id", started->job.job_id);
  }
  if (started->created) runner_.Wake();
  ticker_.PublishNow(started->job.job_id);
  return started->job;
}

absl::StatusOr<SyncJobRecord> SyncJobs::Get(absl::string_view job_id) {
  if (absl::Status valid = ValidateJobId(job_id); !valid.ok()) return valid;
  return jobs_.Get(job_id);
}

absl::StatusOr<Page<SyncJobRecord>> SyncJobs::List(absl::optional<SyncJobState> state, int32_t page_size,
                                                   absl::string_view page_token) {
  absl::StatusOr<int> size = NormalizePageSize(page_size);
  if (!size.ok()) return size.status();
  const std::string fingerprint = absl::StrCat("jobs:", state ? static_cast<int>(*state) : 0);
  absl::StatusOr<int64_t> before = DecodePageToken(page_token, fingerprint);
  if (!before.ok()) return before.status();
  // The cursor is the last job's creation time alone: jobs start one at a
  // time (the running slot), so two never share a microsecond in practice.
  absl::StatusOr<std::vector<SyncJobRecord>> rows = jobs_.List(state, *before, "", *size + 1);
  if (!rows.ok()) return rows.status();
  Page<SyncJobRecord> page;
  if (static_cast<int>(rows->size()) > *size) {
    rows->resize(static_cast<size_t>(*size));
    page.next_page_token = EncodePageToken(absl::ToUnixMicros(rows->back().create_time), fingerprint);
  }
  page.items = *std::move(rows);
  return page;
}

absl::StatusOr<SyncJobRecord> SyncJobs::Cancel(absl::string_view job_id) {
  if (absl::Status valid = ValidateJobId(job_id); !valid.ok()) return valid;
  absl::StatusOr<SyncJobRecord> job = jobs_.Cancel(job_id, clock_.Now());
  if (job.ok()) ticker_.PublishNow(job->job_id);
  return job;
}

}  // namespace lss
