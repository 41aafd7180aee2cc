// Where licenses and their sync history live. The domain's only way to the
// database for licenses; SOCI, SQL and the backend stay behind it.
//
// Implementations are thread-safe: every method may be called from any
// thread at once (each takes its own connection from a pool). Methods block
// on the database, so callers run them on a worker pool, never on a gRPC
// reactor thread. Errors: NOT_FOUND with reason LICENSE_NOT_FOUND for an
// unknown license; UNAVAILABLE with reason DATABASE_UNAVAILABLE when the
// database cannot be reached; nothing else throws or escapes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "storage/license_model.h"

namespace lss {

inline constexpr absl::string_view kReasonLicenseNotFound = "LICENSE_NOT_FOUND";
inline constexpr absl::string_view kReasonLicenseAlreadyExists = "LICENSE_ALREADY_EXISTS";
inline constexpr absl::string_view kReasonDatabaseUnavailable = "DATABASE_UNAVAILABLE";
inline constexpr absl::string_view kReasonOrderPlacing = "UPGRADE_ORDER_PLACING";
inline constexpr absl::string_view kReasonLicenseKeyChanged = "LICENSE_KEY_CHANGED";
// A sync's comparison is older than the license it would be recorded on.
inline constexpr absl::string_view kReasonLicenseChangedDuringSync = "LICENSE_CHANGED_DURING_SYNC";
// The license is EXPIRED or TERMINATED where only an ACTIVE one may be changed.
inline constexpr absl::string_view kReasonLicenseNotActive = "LICENSE_NOT_ACTIVE";
// A renewal's answer came for a license that is Not In Sync by now.
inline constexpr absl::string_view kReasonLicenseNotInSync = "LICENSE_NOT_IN_SYNC";
// A CreateLicense request_id already used by the same caller for a request
// with other parameters.
inline constexpr absl::string_view kReasonRequestIdReused = "REQUEST_ID_REUSED";
// A TerminateLicense is under way for the license (BeginTermination).
inline constexpr absl::string_view kReasonLicenseTerminating = "LICENSE_TERMINATING";
// Any other database failure (a corrupt row, a schema this binary does not
// know, a bug): INTERNAL, DATA_LOSS or FAILED_PRECONDITION, never retried.
inline constexpr absl::string_view kReasonDatabaseError = "DATABASE_ERROR";

// What a new license starts as: In state ACTIVE, never synced, unless the
// caller knows better (an import or a creation is In Sync by construction).
struct NewLicense {
  LicenseConfig config;
  // CreateLicense's idempotency key (AIP-155), scoped to its caller by the
  // domain; empty for imports. Recorded with the license in the same
  // transaction, with a fingerprint of the request's parameters, so that
  // the key reused for another request is told apart from a retry.
  std::string request_id;
  std::string request_fingerprint;
  SyncStatus sync_status = SyncStatus::kNeverSynced;
  absl::optional<absl::Time> synced_at;  // set together with kInSync
};

// The result of storing many new licenses at once.
struct CreateManyResult {
  int64_t created = 0;
  int64_t already_present = 0;  // a license already holds that key
};

// A successful comparison with KA, to be recorded on a license.
struct SyncOutcome {
  SyncResult result;
  std::string ka_key_number;
  absl::Time sync_time;
  std::string job_id;  // empty for a single SyncLicense
  // The version of the license that `result` compared with KA. When set and
  // the license has another version by the time the result is recorded (an
  // upgrade order completed while KA was being asked), the result may be
  // stale: nothing is written (ABORTED, LICENSE_CHANGED_DURING_SYNC).
  absl::optional<int64_t> compared_version;
};

// A failed sync attempt (KA unreachable, ...), to be recorded on a license.
struct SyncFailure {
  std::string error;
  absl::Time sync_time;
  std::string job_id;
};

// KA's answer to a renewal, to be stored on the license it renewed.
struct Renewal {
  std::string key_number;  // the key KA renewed; the license must still hold it
  absl::Time renewal_due_time;
  absl::Time expire_time;
};

class LicenseRepository {
 public:
  virtual ~LicenseRepository() = default;

  // Stores a new license. When `license.request_id` was recorded before
  // with the same request_fingerprint, returns the license it created
  // instead (even if that one has changed since), so that a retried
  // CreateLicense never stores two; with another fingerprint,
  // FAILED_PRECONDITION (REQUEST_ID_REUSED), nothing stored. Otherwise
  // ALREADY_EXISTS (LICENSE_ALREADY_EXISTS) when a license already holds the
  // key (same PREFIX.NNNNNNNN, any revision).
  virtual absl::StatusOr<LicenseRecord> Create(const NewLicense& license, absl::Time now) = 0;

  // The license created under a CreateLicense request_id, if any; as Create,
  // FAILED_PRECONDITION (REQUEST_ID_REUSED) when it was recorded with
  // another fingerprint.
  virtual absl::StatusOr<absl::optional<LicenseRecord>> FindCreatedBy(absl::string_view request_id,
                                                                      absl::string_view fingerprint) = 0;

  // Stores many new licenses in one transaction with multi-row statements;
  // keys already held by a license are skipped and counted.
  virtual absl::StatusOr<CreateManyResult> CreateMany(const std::vector<NewLicense>& licenses,
                                                      absl::Time now) = 0;

  virtual absl::StatusOr<LicenseRecord> Get(int64_t license_id) = 0;

  // By key number: with its revision, without it (PREFIX.NNNNNNNN), or with
  // another revision; the 8-digit number and prefix identify the key.
  virtual absl::StatusOr<LicenseRecord> FindByKeyNumber(absl::string_view key_number) = 0;

  // Up to `limit` licenses matching `filter` with license_id > after_id, in
  // license_id order (keyset paging: stable under concurrent inserts).
  virtual absl::StatusOr<std::vector<LicenseRecord>> List(const LicenseFilter& filter,
                                                          int64_t after_id, int limit) = 0;

  // Records a successful sync, atomically. Sets last_synced_at and clears
  // last_sync_error; when the sync result differs from the stored one (the
  // first sync, another status, another set of mismatches) also bumps the
  // version (and update_time) and appends a history entry. An unchanged
  // result leaves the version and the history as they were.
  // Never touches the configuration. FAILED_PRECONDITION
  // (UPGRADE_ORDER_PLACING) while an order is being placed for the license.
  virtual absl::StatusOr<LicenseRecord> RecordSync(int64_t license_id, const SyncOutcome& outcome) = 0;

  // Records a failed sync attempt and appends its history entry, atomically.
  // Only last_sync_error changes: status, result and version stay as they
  // were.
  virtual absl::StatusOr<LicenseRecord> RecordSyncFailure(int64_t license_id,
                                                          const SyncFailure& failure) = 0;

  // Up to `limit` licenses that the daily run renews: ACTIVE, In Sync, no
  // order being placed, no termination under way (terminating_until at or
  // before `now`), renewal due at or before `now`; with license_id >
  // after_id, in license_id order.
  virtual absl::StatusOr<std::vector<LicenseRecord>> ListRenewalDue(absl::Time now, int64_t after_id,
                                                                    int limit) = 0;

  // Stores KA's new dates after a renewal and bumps the version, only if
  // the license is, at the time of the write, still ACTIVE, In Sync, on
  // the renewed key, without an order being placed and with no termination
  // under way (LICENSE_TERMINATING): a sync, an upgrade
  // or a termination between ListRenewalDue and the renewal's answer wins,
  // and the next sync reports KA's new dates as what they are.
  // FAILED_PRECONDITION, nothing written, with reason LICENSE_KEY_CHANGED
  // (an upgrade replaced the key meanwhile), UPGRADE_ORDER_PLACING,
  // LICENSE_NOT_IN_SYNC or LICENSE_NOT_ACTIVE.
  virtual absl::StatusOr<LicenseRecord> RecordRenewal(int64_t license_id, const Renewal& renewal,
                                                      absl::Time now) = 0;

  // Marks the license TERMINATED and bumps its version; a license already
  // TERMINATED is returned as it is. FAILED_PRECONDITION
  // (UPGRADE_ORDER_PLACING) while an order is being placed for it.
  virtual absl::StatusOr<LicenseRecord> MarkTerminated(int64_t license_id, absl::Time now) = 0;

  // Marks the license as being terminated until `until` (a claim, so that a
  // crash's mark runs out) and bumps its version, before KA is asked to
  // terminate its key: an upgrade session opened before then can no longer
  // place its order (its version is stale), and none can start while the
  // mark holds. A TERMINATED license is returned as it is.
  // FAILED_PRECONDITION (UPGRADE_ORDER_PLACING) while an order is being
  // placed, nothing written; NOT_FOUND for an unknown license.
  virtual absl::StatusOr<LicenseRecord> BeginTermination(int64_t license_id, absl::Time until, absl::Time now) = 0;

  // Clears the mark of BeginTermination when KA did not terminate the key.
  virtual absl::Status EndTermination(int64_t license_id) = 0;

  // Marks EXPIRED every ACTIVE license whose expiration is before `now`,
  // except those whose order is being placed; returns how many. Works in
  // bounded batches, each committed on its own.
  virtual absl::StatusOr<int64_t> ExpirePastDue(absl::Time now) = 0;

  // Removes the sync history entries older than `cutoff`, in bounded
  // batches; returns how many.
  virtual absl::StatusOr<int64_t> PruneHistoryBefore(absl::Time cutoff) = 0;

  // Up to `limit` failed attempts that SyncAll job `job_id` recorded, in
  // the order it recorded them.
  virtual absl::StatusOr<std::vector<SyncHistoryEntry>> ListJobFailures(absl::string_view job_id,
                                                                        int limit) = 0;

  // Up to `limit` history entries of a license (one per change of its sync
  // result, and one per failed attempt) with entry_id < before_id
  // (0: from the newest), newest first. NOT_FOUND for an unknown license.
  virtual absl::StatusOr<std::vector<SyncHistoryEntry>> ListHistory(int64_t license_id,
                                                                    int64_t before_id, int limit) = 0;
};

}  // namespace lss
