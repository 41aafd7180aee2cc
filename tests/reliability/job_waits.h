// Waiting for SyncAll jobs with a deadline, through GetSyncJob and
// ListSyncJobs polled every 200 ms: calls that fail meanwhile (the database
// restarting, a replica down) are simply polled again. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "licensing/v1/license_service.grpc.pb.h"
#include "tests/reliability/scale.h"

namespace lss::reliability {

// The job once it left RUNNING; DEADLINE_EXCEEDED after `timeout`.
absl::StatusOr<licensing::v1::SyncJob> WaitForJobToEnd(licensing::v1::LicenseService::Stub& stub,
                                                      const std::string& job_id, absl::Duration timeout);

// True once no job is RUNNING; false after `timeout`.
bool WaitForNoRunningJob(licensing::v1::LicenseService::Stub& stub, absl::Duration timeout);

// license-server flags that shape a SyncAll job for the scale: how KA is
// read (ListKeys pages or GetKeyInfo per license), page and chunk sizes.
std::vector<std::string> JobShapeArgs(const Scale& scale, bool bulk);

}  // namespace lss::reliability
