// Licenses as billing stores them: the value types the repository reads and
// writes and the domain reasons about. They know nothing of SQL or gRPC;
// server/rpc converts them to and from licensing.v1 messages.
// Plain values: copy them freely between threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "absl/types/optional.h"

namespace lss {

enum class SyncStatus { kNeverSynced = 1, kInSync = 2, kNotInSync = 3 };
enum class LicenseState { kActive = 1, kExpired = 2, kTerminated = 3 };

// Values match licensing.v1.MismatchKind.
enum class MismatchKind {
  kKeyChanged = 1,
  kLicenseClassChanged = 2,
  kCapacityChanged = 3,
  kFeaturesAdded = 4,
  kFeaturesRemoved = 5,
  kExpirationChanged = 6,
  kAdditionalKeyAttached = 7,
  kAdditionalKeyDetached = 8,
  kTerminated = 9,
  kProblem = 10,
  kKeyNotFound = 11,
};

// One difference between billing and KA, each value as text.
struct Mismatch {
  MismatchKind kind;
  std::string billing_value;
  std::string ka_value;

  bool operator==(const Mismatch&) const = default;
};

struct AdditionalKey {
  std::string key_number;  // e.g. "KAV.00005821.0001"
  std::string key_type;    // e.g. "KASPERSKY_ANTIVIRUS"

  bool operator==(const AdditionalKey&) const = default;
};

// What billing believes the license is: the part a sync compares with KA and
// only an upgrade, a renewal or an import rewrites.
struct LicenseConfig {
  std::string key_number;     // PREFIX.NNNNNNNN.RRRR
  std::string license_class;  // KA key type
  int64_t capacity = 0;
  std::vector<std::string> features;           // API names, sorted, unique
  std::vector<AdditionalKey> additional_keys;  // sorted by key_number
  absl::Time renewal_due_time = absl::UnixEpoch();
  absl::Time expire_time = absl::UnixEpoch();

  bool operator==(const LicenseConfig&) const = default;
};

// The last successful comparison with KA.
struct SyncResult {
  SyncStatus status = SyncStatus::kNeverSynced;
  std::vector<Mismatch> mismatches;  // empty when In Sync
  std::string message;               // the mismatches in one sentence

  // Whether a sync found what `other` records: the same status and
  // mismatches. The message is derived from them (and an import stores
  // none), so it never makes a sync a change of the license.
  bool SameFindingsAs(const SyncResult& other) const {
    return status == other.status && mismatches == other.mismatches;
  }

  bool operator==(const SyncResult&) const = default;
};

// A license as stored.
struct LicenseRecord {
  int64_t license_id = 0;
  LicenseConfig config;
  LicenseState state = LicenseState::kActive;
  SyncResult sync;
  absl::optional<absl::Time> last_synced_at;  // unset: never synced
  std::string last_sync_error;                // empty: last attempt succeeded
  absl::Time create_time = absl::UnixEpoch();
  absl::Time update_time = absl::UnixEpoch();
  // Bumped by every change to config, state or sync result, and only then:
  // the etag of the API (a sync that finds nothing new leaves it alone).
  int64_t version = 1;
  bool order_placing = false;  // an upgrade order is being placed at KA
  // Set while a TerminateLicense calls KA (LicenseRepository::BeginTermination):
  // until then, no upgrade may start on the license, nor a renewal be
  // recorded. A claim, so that one a crash left behind runs out.
  absl::optional<absl::Time> terminating_until;

  bool operator==(const LicenseRecord&) const = default;
};

// One sync attempt, kept as the license's history.
struct SyncHistoryEntry {
  int64_t entry_id = 0;  // increasing; assigned by the repository
  int64_t license_id = 0;
  std::string key_number;     // billing's, at the time
  std::string ka_key_number;  // KA's; empty when unknown
  absl::Time sync_time = absl::UnixEpoch();
  // Set when the attempt reached a result; unset when it failed (`error`).
  absl::optional<SyncResult> result;
  std::string error;
  std::string job_id;  // the SyncAll job, if any

  bool operator==(const SyncHistoryEntry&) const = default;
};

// Which licenses a listing covers; unset fields match everything.
struct LicenseFilter {
  absl::optional<SyncStatus> sync_status;
  absl::optional<LicenseState> state;
  std::string license_class;
  std::string key_number_prefix;
  absl::optional<absl::Time> usable_until_before;

  bool operator==(const LicenseFilter&) const = default;
};

}  // namespace lss
