#include "server/upgrade/upgrade_sessions.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"

namespace lss {
namespace {

constexpr size_t kMaxUpgradeIdLength = 64;

}  // namespace

absl::Status ValidateUpgradeId(absl::string_view upgrade_id) {
  if (upgrade_id.empty()) return InvalidArgumentError("upgrade_id", "is required: StartUpgrade returns it");
  if (upgrade_id.size() > kMaxUpgradeIdLength) {
    return InvalidArgumentError("upgrade_id", absl::StrCat("must be at most ", kMaxUpgradeIdLength, " characters"));
  }
  // Session ids are ASCII (upgrade_opening.cc); anything else names no
  // session and need not reach the database.
  for (char c : upgrade_id) {
    if (!absl::ascii_isgraph(static_cast<unsigned char>(c))) {
      return InvalidArgumentError("upgrade_id", "must be printable ASCII without spaces");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckLicenseUnchanged(const UpgradeRecord& upgrade, const LicenseRecord& license) {
  if (license.version == upgrade.license_version) return absl::OkStatus();
  return WithReason(absl::AbortedError(absl::StrCat("license ", license.license_id,
                                                    " changed since the upgrade started (etag \"",
                                                    upgrade.license_version, "\" is now \"", license.version,
                                                    "\"): start a new upgrade from its current configuration")),
                    kReasonUpgradeLicenseChanged);
}

absl::StatusOr<UpgradeRecord> UpgradeSessions::Load(absl::string_view upgrade_id) {
  if (absl::Status valid = ValidateUpgradeId(upgrade_id); !valid.ok()) return valid;
  absl::StatusOr<UpgradeRecord> upgrade = upgrades_.Get(upgrade_id);
  if (!upgrade.ok()) return upgrade.status();
  const absl::Time now = clock_.Now();
  if (!HasExpired(*upgrade, now)) return upgrade;
  UpgradeRecord expired = *std::move(upgrade);
  expired.state = UpgradeState::kExpired;
  expired.update_time = now;
  absl::StatusOr<UpgradeRecord> written = upgrades_.Update(expired);
  // Another step or replica got there first: what it wrote stands.
  if (!written.ok() && ReasonOf(written.status()) == kReasonUpgradeChanged) return upgrades_.Get(upgrade_id);
  return written;
}

absl::StatusOr<UpgradeRecord> UpgradeSessions::LoadForStep(absl::string_view upgrade_id, UpgradeStep step) {
  absl::StatusOr<UpgradeRecord> upgrade = Load(upgrade_id);
  if (!upgrade.ok()) return upgrade.status();
  if (absl::Status allowed = CheckStep(upgrade->state, step); !allowed.ok()) return allowed;
  if (!IsUnfinished(upgrade->state)) return upgrade;
  absl::StatusOr<LicenseRecord> license = licenses_.Get(upgrade->license_id);
  if (!license.ok()) return license.status();
  if (absl::Status unchanged = CheckLicenseUnchanged(*upgrade, *license); !unchanged.ok()) return unchanged;
  return upgrade;
}

UpgradeRecord UpgradeSessions::Touched(UpgradeRecord upgrade) const {
  upgrade.update_time = clock_.Now();
  upgrade.expire_time = upgrade.update_time + ttl_;
  return upgrade;
}

}  // namespace lss
