// Upgrade sessions as billing stores them: the wizard's state (DESIGN.md §1,
// §4), kept in the database so that any replica serves any step and a
// restart loses nothing. Plain values; server/rpc converts them to and from
// licensing.v1 messages. Copy them freely between threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "storage/license_model.h"

namespace lss {

// Values match licensing.v1.UpgradeState. The transitions live in
// server/upgrade/upgrade_steps.h.
enum class UpgradeState {
  kStarted = 1,
  kConfigured = 2,
  kPriced = 3,
  kPlacing = 4,
  kCompleted = 5,
  kCancelled = 6,
  kExpired = 7,
  kFailed = 8,
};

// A feature the license's class offers and its key lacks.
struct FeatureOffer {
  std::string api_name;
  std::string display_name;

  bool operator==(const FeatureOffer&) const = default;
};

// What the upgrade may change, from KA's catalogue and available upgrades.
struct UpgradeOptions {
  std::string capacity_unit;            // "domains", "containers", "cpus"
  std::vector<int64_t> capacity_steps;  // KA's capacity, then the steps above it, ascending
  int64_t max_capacity = 0;
  std::vector<FeatureOffer> features;  // sorted by api_name

  bool operator==(const UpgradeOptions&) const = default;
};

// What the operator asked for, measured from KA's configuration.
struct UpgradeTarget {
  int64_t capacity = 0;                   // KA's capacity or one of the steps above it
  std::vector<std::string> add_features;  // offered features, sorted, unique

  bool operator==(const UpgradeTarget&) const = default;
};

// Values match licensing.v1.PriceLineKind.
enum class PriceLineKind { kCapacity = 1, kFeature = 2, kUpgradeFee = 3 };

// Money is integer minor units of the price's currency, never floating point.
struct PriceLine {
  PriceLineKind kind = PriceLineKind::kCapacity;
  std::string item;         // the capacity step as text, or the feature's API name, or "fee"
  std::string description;  // e.g. "Capacity 100 -> 300 domains"
  int64_t term_amount_minor = 0;  // the recurring difference for a whole term
  int64_t amount_minor = 0;       // charged now: prorated (the fee is not)

  bool operator==(const PriceLine&) const = default;
};

struct UpgradePrice {
  std::string currency;  // ISO 4217, e.g. "EUR"
  std::vector<PriceLine> lines;  // capacity, then features, then the fee
  int64_t total_minor = 0;       // the sum of the lines' amounts
  int64_t prorate_ppm = 0;       // fraction of the term left, parts per million
  absl::Time price_time = absl::UnixEpoch();

  bool operator==(const UpgradePrice&) const = default;
};

// The order, from the moment it is being placed. Its lines and total are the
// session's price.
struct UpgradeOrder {
  std::string request_id;      // of the placement that began the order
  std::string old_key_number;  // billing's key number when it was placed
  std::string new_key_number;  // set when it completed
  bool ka_called = false;      // false when the order only adopted KA's configuration
  // KA's answer against the order: empty when KA did what was ordered.
  std::vector<Mismatch> mismatches;
  absl::Time place_time = absl::UnixEpoch();
  absl::optional<absl::Time> complete_time;
  std::string error;  // the last placement attempt's failure, if any

  bool operator==(const UpgradeOrder&) const = default;
};

struct UpgradeRecord {
  std::string upgrade_id;
  // Increasing with creation; the cursor of ListUpgrades (newest first).
  // Assigned by the repository.
  int64_t seq = 0;
  int64_t license_id = 0;
  UpgradeState state = UpgradeState::kStarted;
  LicenseConfig billing;  // billing's configuration when the session started
  LicenseConfig ka;       // KA's: the wizard starts from it
  SyncStatus sync_status = SyncStatus::kNeverSynced;  // billing against KA at the start
  UpgradeOptions options;
  absl::optional<UpgradeTarget> target;  // once configured
  absl::optional<UpgradePrice> price;    // once priced
  absl::optional<UpgradeOrder> order;    // once placed
  // The license's version (etag) at the start: any change of the license
  // since aborts the next step.
  int64_t license_version = 0;
  std::string created_by;
  absl::Time create_time = absl::UnixEpoch();
  absl::Time update_time = absl::UnixEpoch();
  absl::Time expire_time = absl::UnixEpoch();  // an unfinished session expires then
  // Who is placing the order, and until when the claim holds; a replica
  // that dies mid-placement leaves the claim to expire, and any replica then
  // takes the order over and completes it with the same idempotency key.
  std::string placing_owner;
  absl::Time placing_until = absl::UnixEpoch();
  // Bumped by every write; each write is conditional on the version read,
  // so that of two concurrent steps exactly one applies. Assigned by the
  // repository.
  int64_t row_version = 1;

  bool operator==(const UpgradeRecord&) const = default;
};

// Which sessions a listing covers; unset fields match everything.
struct UpgradeFilter {
  absl::optional<UpgradeState> state;
  int64_t license_id = 0;  // 0: every license

  bool operator==(const UpgradeFilter&) const = default;
};

}  // namespace lss
