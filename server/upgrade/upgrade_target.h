// What an upgrade may change and what it is asked to change, measured from
// KA's configuration (DESIGN.md §1, §4 "Upgrade resolves Not In Sync"):
// the options offered at StartUpgrade, the validation of ConfigureUpgrade,
// and the configuration an order leaves billing with.
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "client/key_info.h"
#include "server/licenses/feature_limits.h"
#include "storage/license_model.h"
#include "storage/upgrade_model.h"

namespace lss {

// INVALID_ARGUMENT reasons of ConfigureUpgrade, each with a BadRequest
// naming the field.
inline constexpr absl::string_view kReasonCapacityNotOffered = "CAPACITY_NOT_OFFERED";
inline constexpr absl::string_view kReasonDowngradeRefused = "DOWNGRADE_REFUSED";
inline constexpr absl::string_view kReasonFeatureNotOffered = "FEATURE_NOT_OFFERED";
// An In Sync license's upgrade changes nothing.
inline constexpr absl::string_view kReasonUpgradeNoChange = "UPGRADE_NO_CHANGE";
// FAILED_PRECONDITION at StartUpgrade: KA's key is terminated, unknown or
// marked as a problem, so it can be neither upgraded nor adopted. ErrorInfo
// metadata "mismatch" names the mismatch kind (TERMINATED, KEY_NOT_FOUND,
// PROBLEM).
inline constexpr absl::string_view kReasonKeyNotUpgradable = "KEY_NOT_UPGRADABLE";
inline constexpr absl::string_view kMismatchMetadata = "mismatch";

// The options of one key: its capacity and the steps above it, the class's
// maximum and unit, and the features offered that it lacks. `types` is KA's
// catalogue (for the capacity unit and the features' display names).
UpgradeOptions OptionsFor(const KaUpgradeOptions& available, const std::vector<KaKeyType>& types);

// The refusal for a sync result that rules an upgrade out (a mismatch
// TERMINATED, KEY_NOT_FOUND or PROBLEM), OK otherwise.
absl::Status CheckUpgradable(const SyncResult& billing_against_ka, absl::string_view key_number);

// ConfigureUpgrade's request: capacity 0 keeps KA's.
struct UpgradeRequest {
  int64_t capacity = 0;
  std::vector<std::string> add_features;
};

// The request's limits (feature_limits.h): at most kMaxFeaturesPerRequest
// entries in `add_features` (INVALID_ARGUMENT on `add_features`), each at
// most kMaxApiNameLength characters (on `add_features[i]`), so that no error
// quotes an unbounded string. ConfigureUpgrade checks them before it reads
// the session; ValidateTarget checks them again.
absl::Status CheckUpgradeRequestLimits(const UpgradeRequest& request);

// Validates `request` against the session's options and KA's configuration
// and returns the target (features sorted, duplicates dropped). An In Sync
// session must change something; for any other an empty change adopts KA's
// configuration.
absl::StatusOr<UpgradeTarget> ValidateTarget(const UpgradeRecord& upgrade, const UpgradeRequest& request);

// KA's configuration with the target's capacity and added features: what
// the order leaves billing with. KA's configuration when not configured.
LicenseConfig TargetConfig(const UpgradeRecord& upgrade);

// Whether the order needs KA's UpgradeKey (it adds something KA lacks), and
// the call when it does.
bool NeedsKaUpgrade(const UpgradeRecord& upgrade);
KaUpgradeKeyRequest KaUpgradeFor(const UpgradeRecord& upgrade);

}  // namespace lss
