// The placement side of SqlUpgradeRepository: the steps that write the
// session and its license in one transaction. Each writes the session first
// (WriteUpgradeStep, conditional on its row_version) and the license second,
// so that concurrent placements lock rows in the same order; any failure
// returns an error and SqlRunner rolls both writes back.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/key_number.h"
#include "common/status/error_details.h"
#include "soci/soci.h"
#include "storage/license_repository.h"
#include "storage/sql/field_checks.h"
#include "storage/sql/license_rows.h"
#include "storage/sql/sql_statement.h"
#include "storage/sql/sql_upgrade_repository.h"
#include "storage/sql/stored_time.h"
#include "storage/sql/upgrade_rows.h"
#include "storage/sql/value_codec.h"

namespace lss::storage {
namespace {

constexpr int kActive = static_cast<int>(LicenseState::kActive);

// Why BeginPlacing could not flag the license, read after its conditional
// update changed nothing; in the order the interface promises.
absl::Status WhyNotFlagged(soci::session& session, const UpgradeRecord& next) {
  absl::StatusOr<LicenseRecord> license = LoadLicenseById(session, next.license_id);
  if (!license.ok()) return license.status();
  if (license->state != LicenseState::kActive) {
    return WithReason(absl::FailedPreconditionError(
                          absl::StrCat("license ", next.license_id,
                                       " is no longer ACTIVE: its upgrade order cannot be placed")),
                      kReasonLicenseNotActive);
  }
  if (license->order_placing) {
    return WithReason(absl::FailedPreconditionError(absl::StrCat(
                          "another upgrade order is being placed for license ", next.license_id)),
                      kReasonOrderPlacing);
  }
  // The version moved, or (with no row lock held by the failed update) the
  // license changed and changed back in between: either way, read again.
  return WithReason(
      absl::AbortedError(absl::StrCat("license ", next.license_id, " changed since upgrade ",
                                      next.upgrade_id, " started (version ", next.license_version,
                                      ", now ", license->version, "): start the upgrade again")),
      kReasonUpgradeLicenseChanged);
}

// Clears the license's order_placing flag and nothing else; NOT_FOUND when
// there is no such license.
absl::Status ClearOrderPlacing(soci::session& session, int64_t license_id) {
  if (ExecuteSql(session, "UPDATE licenses SET order_placing = 0 WHERE license_id = :license_id",
                 SqlParams().Int(license_id)) != 1) {
    return LicenseNotFound(license_id);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<UpgradeRecord> SqlUpgradeRepository::BeginPlacing(const UpgradeRecord& next) {
  absl::Status valid = CheckUpgradeFits(next);
  if (!valid.ok()) return valid;
  return runner_.RunInTransaction(
      "begin placing upgrade order", [&](soci::session& session) -> absl::StatusOr<UpgradeRecord> {
        absl::Status written = WriteUpgradeStep(session, next, StepWrite::kWithPlacingClaim);
        if (!written.ok()) return written;
        // Not a version bump: the flag is neither configuration, state nor
        // sync result, and the etag callers hold must stay valid for the
        // order's completion.
        const long long flagged =
            ExecuteSql(session,
                       "UPDATE licenses SET order_placing = 1 WHERE license_id = :license_id "
                       "AND state = :active AND order_placing = 0 AND version = :version",
                       SqlParams().Int(next.license_id).Int(kActive).Int(next.license_version));
        if (flagged != 1) return WhyNotFlagged(session, next);
        return LoadUpgrade(session, next.upgrade_id);
      });
}

absl::StatusOr<CompletedUpgrade> SqlUpgradeRepository::CompleteOrder(const UpgradeRecord& next,
                                                                     const LicenseConfig& config,
                                                                     const SyncResult& sync,
                                                                     absl::Time now) {
  absl::Status valid = CheckUpgradeFits(next);
  if (valid.ok()) {
    valid = CheckLength("config.license_class", config.license_class, kMaxLicenseClassLength);
  }
  if (!valid.ok()) return valid;
  absl::StatusOr<std::string> key_base = KeyBaseOf(config.key_number, "config.key_number");
  if (!key_base.ok()) return key_base.status();
  const long long now_micros = ToStoredMicros(now);
  return runner_.RunInTransaction(
      "complete upgrade order", [&](soci::session& session) -> absl::StatusOr<CompletedUpgrade> {
        absl::Status written = WriteUpgradeStep(session, next, StepWrite::kWithPlacingClaim);
        if (!written.ok()) return written;
        // No condition on the license beyond its id: the session's
        // row_version proves this placement still owns the flag.
        const long long updated = ExecuteSql(
            session,
            "UPDATE licenses SET key_base = :key_base, key_number = :key_number, "
            "license_class = :license_class, capacity = :capacity, features = :features, "
            "additional_keys = :additional_keys, renewal_due_at = :renewal_due_at, "
            "expire_at = :expire_at, sync_status = :sync_status, mismatches = :mismatches, "
            "sync_message = :sync_message, last_synced_at = :last_synced_at, "
            "last_sync_error = '', version = version + 1, updated_at = :updated_at, "
            "order_placing = 0 WHERE license_id = :license_id",
            SqlParams()
                .Text(*key_base)
                .Text(config.key_number)
                .Text(config.license_class)
                .Int(config.capacity)
                .Text(EncodeFeatures(config.features))
                .Text(EncodeAdditionalKeys(config.additional_keys))
                .Int(ToStoredMicros(config.renewal_due_time))
                .Int(ToStoredMicros(config.expire_time))
                .Int(static_cast<int>(sync.status))
                .Text(EncodeMismatches(sync.mismatches))
                .Text(sync.message)
                .Int(now_micros)
                .Int(now_micros)
                .Int(next.license_id));
        if (updated != 1) return LicenseNotFound(next.license_id);
        CompletedUpgrade completed;
        absl::StatusOr<UpgradeRecord> upgrade = LoadUpgrade(session, next.upgrade_id);
        if (!upgrade.ok()) return upgrade.status();
        completed.upgrade = *std::move(upgrade);
        absl::StatusOr<LicenseRecord> license = LoadLicenseById(session, next.license_id);
        if (!license.ok()) return license.status();
        completed.license = *std::move(license);
        return completed;
      });
}

absl::StatusOr<UpgradeRecord> SqlUpgradeRepository::AbandonPlacing(const UpgradeRecord& next) {
  absl::Status valid = CheckUpgradeFits(next);
  if (!valid.ok()) return valid;
  return runner_.RunInTransaction(
      "abandon upgrade placement", [&](soci::session& session) -> absl::StatusOr<UpgradeRecord> {
        absl::Status written = WriteUpgradeStep(session, next, StepWrite::kWithPlacingClaim);
        if (!written.ok()) return written;
        absl::Status cleared = ClearOrderPlacing(session, next.license_id);
        if (!cleared.ok()) return cleared;
        return LoadUpgrade(session, next.upgrade_id);
      });
}

}  // namespace lss::storage
