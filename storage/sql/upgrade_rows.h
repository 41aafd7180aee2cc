// The `upgrades` table seen from C++ (migration 0007): reading sessions,
// inserting a new one, and the conditional write every later step makes.
// Times as stored_time.h, lists as value_codec.h; an unset target, price or
// order is a presence flag of 0.
//
// LoadUpgrade, QueryUpgrades, InsertUpgrade and WriteUpgradeStep throw
// SOCI's exceptions: call them inside SqlRunner work. CheckUpgradeFits is
// pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/sql/dialect.h"
#include "storage/sql/sql_statement.h"
#include "storage/upgrade_model.h"

namespace soci {
class session;
}  // namespace soci

namespace lss::storage {

// INVALID_ARGUMENT naming the first field (e.g. "billing.key_number") that
// its column cannot hold, or an empty upgrade_id.
absl::Status CheckUpgradeFits(const UpgradeRecord& upgrade);

// The sessions that `where` ("WHERE ... ORDER BY ... LIMIT ...", its values
// in `params`) selects. DATA_LOSS (DATABASE_ERROR) for a row that does not
// decode.
absl::StatusOr<std::vector<UpgradeRecord>> QueryUpgrades(soci::session& session,
                                                         absl::string_view where,
                                                         const SqlParams& params);

// One session; NOT_FOUND (UPGRADE_NOT_FOUND) when there is none.
absl::StatusOr<UpgradeRecord> LoadUpgrade(soci::session& session, absl::string_view upgrade_id);

// Inserts `upgrade` with row_version 1 (the database assigns its seq). A
// taken upgrade_id throws the database's duplicate-key error.
void InsertUpgrade(soci::session& session, const Dialect& dialect, const UpgradeRecord& upgrade);

// What a step writes besides the session's state, target, price, order,
// update_time and expire_time.
enum class StepWrite {
  kSessionOnly,       // UpgradeRepository::Update
  kWithPlacingClaim,  // the placement steps: placing_owner and placing_until too
};

// Writes `next` over the stored session if its row_version is still
// next.row_version, and bumps it. ABORTED (UPGRADE_CHANGED) when another
// write came first; NOT_FOUND (UPGRADE_NOT_FOUND) when there is no such
// session.
absl::Status WriteUpgradeStep(soci::session& session, const UpgradeRecord& next, StepWrite write);

}  // namespace lss::storage
