#include "tests/reliability/job_waits.h"

#include "absl/strings/str_cat.h"
#include "tests/harness/wait.h"
#include "tests/reliability/license_reads.h"

namespace lss::reliability {

absl::StatusOr<licensing::v1::SyncJob> WaitForJobToEnd(licensing::v1::LicenseService::Stub& stub,
                                                      const std::string& job_id, absl::Duration timeout) {
  licensing::v1::SyncJob job;
  absl::Status last = absl::OkStatus();
  const bool ended = harness::WaitFor(
      [&] {
        absl::StatusOr<licensing::v1::SyncJob> got = GetSyncJob(stub, job_id);
        if (!got.ok()) {
          last = got.status();
          return false;
        }
        job = *std::move(got);
        return job.state() != licensing::v1::SYNC_JOB_STATE_RUNNING;
      },
      timeout, absl::Milliseconds(200));
  if (ended) return job;
  return absl::DeadlineExceededError(absl::StrCat("job ", job_id, " still running after ", absl::FormatDuration(timeout),
                                                  ": processed ", job.progress().processed(), " of ",
                                                  job.progress().total(), "; last error: ", last.ToString()));
}

bool WaitForNoRunningJob(licensing::v1::LicenseService::Stub& stub, absl::Duration timeout) {
  return harness::WaitFor(
      [&] {
        absl::StatusOr<std::vector<licensing::v1::SyncJob>> jobs = ListAllSyncJobs(stub);
        if (!jobs.ok()) return false;
        for (const licensing::v1::SyncJob& job : *jobs) {
          if (job.state() == licensing::v1::SYNC_JOB_STATE_RUNNING) return false;
        }
        return true;
      },
      timeout, absl::Milliseconds(200));
}

std::vector<std::string> JobShapeArgs(const Scale& scale, bool bulk) {
  return {absl::StrCat("--sync-bulk=", bulk ? "true" : "false"), absl::StrCat("--ka-page-size=", scale.ka_page_size),
          absl::StrCat("--sync-chunk-size=", scale.sync_chunk_size)};
}

}  // namespace lss::reliability
