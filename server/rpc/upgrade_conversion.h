// Upgrade sessions between the domain's values (storage/upgrade_model.h)
// and licensing.v1 messages. Pure; thread-safe.
#pragma once

#include "absl/status/statusor.h"
#include "licensing/v1/license_service.pb.h"
#include "licensing/v1/upgrade.pb.h"
#include "storage/upgrade_model.h"

namespace lss {

void ToProto(const UpgradeRecord& upgrade, licensing::v1::Upgrade* out);

// ListUpgrades' filter; INVALID_ARGUMENT naming `state` for a value the API
// does not define.
absl::StatusOr<UpgradeFilter> FilterOf(const licensing::v1::ListUpgradesRequest& request);

}  // namespace lss
