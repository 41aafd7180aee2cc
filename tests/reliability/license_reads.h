// Reading license-server's whole state through its public API, every page:
// what the final invariant check compares with the ground truth. Each
// returns the first failed call's error. Thread-safe (the stub is).
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "licensing/v1/license_service.grpc.pb.h"

namespace lss::reliability {

absl::StatusOr<std::vector<licensing::v1::License>> ListAllLicenses(licensing::v1::LicenseService::Stub& stub);

absl::StatusOr<std::vector<licensing::v1::SyncJob>> ListAllSyncJobs(licensing::v1::LicenseService::Stub& stub);

// Every session of every license in `state` (UNSPECIFIED: any state).
absl::StatusOr<std::vector<licensing::v1::Upgrade>> ListAllUpgrades(
    licensing::v1::LicenseService::Stub& stub,
    licensing::v1::UpgradeState state = licensing::v1::UPGRADE_STATE_UNSPECIFIED);

absl::StatusOr<licensing::v1::SyncJob> GetSyncJob(licensing::v1::LicenseService::Stub& stub,
                                                  const std::string& job_id);

// Starts (or attaches to) a SyncAll of every license and reads its stream
// to the final event, which it returns.
absl::StatusOr<licensing::v1::SyncProgress> SyncAllToTheEnd(licensing::v1::LicenseService::Stub& stub,
                                                            absl::Duration timeout);

}  // namespace lss::reliability
