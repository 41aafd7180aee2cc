// The session-only side of SqlUpgradeRepository: creating, reading and
// listing sessions, the steps that touch only the session, the takeover of
// an abandoned placement, and expiry.
#include "storage/sql/sql_upgrade_repository.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"
#include "soci/soci.h"
#include "storage/license_repository.h"
#include "storage/sql/field_checks.h"
#include "storage/sql/sql_statement.h"
#include "storage/sql/stored_time.h"
#include "storage/sql/upgrade_rows.h"

namespace lss::storage {
namespace {

constexpr int kPlacing = static_cast<int>(UpgradeState::kPlacing);

absl::Status CheckLease(absl::Duration lease) {
  if (lease < absl::Microseconds(1)) {
    return InvalidArgumentError("lease", "a placement's lease must be positive");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<UpgradeRecord> SqlUpgradeRepository::Create(const UpgradeRecord& upgrade) {
  absl::Status valid = CheckUpgradeFits(upgrade);
  if (!valid.ok()) return valid;
  absl::StatusOr<UpgradeRecord> created = runner_.RunInTransaction(
      "create upgrade", [&](soci::session& session) -> absl::StatusOr<UpgradeRecord> {
        // Asked first: the foreign key would refuse the row with an error
        // that names no reason.
        if (!QueryInt(session, "SELECT license_id FROM licenses WHERE license_id = :license_id",
                      SqlParams().Int(upgrade.license_id))) {
          return WithReason(
              absl::NotFoundError(absl::StrCat("license ", upgrade.license_id, " not found")),
              kReasonLicenseNotFound);
        }
        InsertUpgrade(session, runner_.dialect(), upgrade);
        return LoadUpgrade(session, upgrade.upgrade_id);
      });
  if (!absl::IsAlreadyExists(created.status())) return created;
  return WithReason(
      absl::AlreadyExistsError(absl::StrCat("an upgrade with id ", upgrade.upgrade_id, " exists")),
      kReasonUpgradeAlreadyExists);
}

absl::StatusOr<UpgradeRecord> SqlUpgradeRepository::Get(absl::string_view upgrade_id) {
  absl::Status valid = CheckLength("upgrade_id", upgrade_id, kMaxUpgradeIdLength);
  if (!valid.ok()) return valid;
  return runner_.Run("get upgrade",
                     [&](soci::session& session) { return LoadUpgrade(session, upgrade_id); });
}

absl::StatusOr<std::vector<UpgradeRecord>> SqlUpgradeRepository::List(const UpgradeFilter& filter,
                                                                      int64_t before_seq,
                                                                      int limit) {
  absl::Status valid = CheckLimit(limit);
  if (!valid.ok()) return valid;
  // "1 = 1" lets every condition start with AND; each equality filter is
  // the prefix of an index ending in seq, read backwards.
  std::string where = "WHERE 1 = 1";
  SqlParams params;
  if (filter.state.has_value()) {
    where += " AND state = :state";
    params.Int(static_cast<int>(*filter.state));
  }
  if (filter.license_id != 0) {
    where += " AND license_id = :license_id";
    params.Int(filter.license_id);
  }
  if (before_seq > 0) {
    where += " AND seq < :before_seq";
    params.Int(before_seq);
  }
  where += " ORDER BY seq DESC LIMIT :limit";
  params.Int(limit);
  return runner_.Run("list upgrades",
                     [&](soci::session& session) { return QueryUpgrades(session, where, params); });
}

absl::StatusOr<UpgradeRecord> SqlUpgradeRepository::Update(const UpgradeRecord& next) {
  absl::Status valid = CheckUpgradeFits(next);
  if (!valid.ok()) return valid;
  // A transaction only so that the row read back is the one written.
  return runner_.RunInTransaction(
      "update upgrade", [&](soci::session& session) -> absl::StatusOr<UpgradeRecord> {
        absl::Status written = WriteUpgradeStep(session, next, StepWrite::kSessionOnly);
        if (!written.ok()) return written;
        return LoadUpgrade(session, next.upgrade_id);
      });
}

absl::StatusOr<absl::optional<UpgradeRecord>> SqlUpgradeRepository::ClaimPlacing(
    absl::string_view upgrade_id, absl::string_view owner, absl::Time now, absl::Duration lease) {
  absl::Status valid = CheckLength("upgrade_id", upgrade_id, kMaxUpgradeIdLength);
  if (valid.ok()) valid = CheckLength("owner", owner, kMaxOwnerLength);
  if (valid.ok()) valid = CheckLease(lease);
  if (!valid.ok()) return valid;
  const long long now_micros = ToStoredMicros(now);
  return runner_.RunInTransaction(
      "claim upgrade placement",
      [&](soci::session& session) -> absl::StatusOr<absl::optional<UpgradeRecord>> {
        absl::StatusOr<UpgradeRecord> current = LoadUpgrade(session, upgrade_id);
        if (!current.ok()) return current.status();
        if (current->state != UpgradeState::kPlacing ||
            ToStoredMicros(current->placing_until) >= now_micros) {
          return absl::optional<UpgradeRecord>();
        }
        // The conditions again, with the version read: of replicas taking
        // the same placement over, one changes the row.
        const long long claimed = ExecuteSql(
            session,
            "UPDATE upgrades SET placing_owner = :owner, placing_until = :placing_until, "
            "row_version = row_version + 1 WHERE upgrade_id = :upgrade_id "
            "AND row_version = :row_version AND state = :placing AND placing_until < :now",
            SqlParams()
                .Text(std::string(owner))
                .Int(ToStoredMicros(now + lease))
                .Text(std::string(upgrade_id))
                .Int(current->row_version)
                .Int(kPlacing)
                .Int(now_micros));
        if (claimed != 1) return absl::optional<UpgradeRecord>();
        absl::StatusOr<UpgradeRecord> taken = LoadUpgrade(session, upgrade_id);
        if (!taken.ok()) return taken.status();
        return absl::optional<UpgradeRecord>(*std::move(taken));
      });
}

absl::StatusOr<std::vector<UpgradeRecord>> SqlUpgradeRepository::ListAbandonedPlacements(
    absl::Time now, int limit) {
  absl::Status valid = CheckLimit(limit);
  if (!valid.ok()) return valid;
  const SqlParams params = SqlParams().Int(kPlacing).Int(ToStoredMicros(now)).Int(limit);
  return runner_.Run("list abandoned upgrade placements", [&](soci::session& session) {
    return QueryUpgrades(
        session, "WHERE state = :placing AND placing_until < :now ORDER BY seq LIMIT :limit",
        params);
  });
}

absl::StatusOr<int64_t> SqlUpgradeRepository::ExpireDue(absl::Time now) {
  const long long now_micros = ToStoredMicros(now);
  // One statement: unfinished sessions are few, and each row's own
  // conditions are checked as it is written, so a session that moved on
  // meanwhile keeps its state.
  return runner_.Run("expire upgrades", [&](soci::session& session) -> absl::StatusOr<int64_t> {
    return ExecuteSql(
        session,
        "UPDATE upgrades SET state = :expired, updated_at = :updated_at, "
        "row_version = row_version + 1 WHERE state IN (:started, :configured, :priced) "
        "AND expire_at <= :now",
        SqlParams()
            .Int(static_cast<int>(UpgradeState::kExpired))
            .Int(now_micros)
            .Int(static_cast<int>(UpgradeState::kStarted))
            .Int(static_cast<int>(UpgradeState::kConfigured))
            .Int(static_cast<int>(UpgradeState::kPriced))
            .Int(now_micros));
  });
}

}  // namespace lss::storage
