// Reading an upgrade session for a step, shared by the wizard's steps and
// the order's placement: the session, marked EXPIRED first when its TTL ran
// out; the step checked against its state (upgrade_steps.h); and the
// license checked against the version the session started from (ABORTED,
// UPGRADE_LICENSE_CHANGED, when another upgrade, an import or a sync that
// found something new changed it since).
//
// Thread-safe; blocking (database).
#pragma once

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "server/upgrade/upgrade_steps.h"
#include "storage/license_repository.h"
#include "storage/upgrade_repository.h"

namespace lss {

// INVALID_ARGUMENT naming `upgrade_id` when empty or too long, before it
// reaches the database.
absl::Status ValidateUpgradeId(absl::string_view upgrade_id);

// ABORTED (UPGRADE_LICENSE_CHANGED) when `license` moved on from the version
// the session started from.
absl::Status CheckLicenseUnchanged(const UpgradeRecord& upgrade, const LicenseRecord& license);

class UpgradeSessions {
 public:
  UpgradeSessions(UpgradeRepository& upgrades, LicenseRepository& licenses, const Clock& clock, absl::Duration ttl)
      : upgrades_(upgrades), licenses_(licenses), clock_(clock), ttl_(ttl) {}

  // The session as it stands now: EXPIRED when its TTL ran out.
  absl::StatusOr<UpgradeRecord> Load(absl::string_view upgrade_id);

  // Load, then CheckStep, then (for a session not yet placing) the
  // license's version.
  absl::StatusOr<UpgradeRecord> LoadForStep(absl::string_view upgrade_id, UpgradeStep step);

  // `upgrade` as the next step writes it: touched now, its TTL restarted.
  UpgradeRecord Touched(UpgradeRecord upgrade) const;

  UpgradeRepository& upgrades() { return upgrades_; }
  LicenseRepository& licenses() { return licenses_; }
  const Clock& clock() const { return clock_; }
  absl::Duration ttl() const { return ttl_; }

 private:
  UpgradeRepository& upgrades_;
  LicenseRepository& licenses_;
  const Clock& clock_;
  const absl::Duration ttl_;
};

}  // namespace lss
