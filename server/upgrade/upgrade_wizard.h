// The upgrade wizard (DESIGN.md §1, §4): StartUpgrade, ConfigureUpgrade,
// PriceUpgrade, GetUpgrade, ListUpgrades and CancelUpgrade over sessions
// kept in the database, so that any replica serves any step. Placing the
// order is OrderPlacement's (order_placement.h).
//
// Every step after the start reads its session through UpgradeSessions
// (expiry, step order, the license's etag); a successful step restarts the
// session's TTL.
//
// Thread-safe. Start answers through `done` on a WorkerPool thread; the
// other methods block on the database and run on the caller's thread (a
// WorkerPool thread in the server).
#pragma once

#include <cstdint>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "client/key_administrator.h"
#include "common/caller_identity.h"
#include "server/licenses/license_ref.h"
#include "server/paging/page.h"
#include "server/runtime/worker_pool.h"
#include "server/upgrade/price_catalogue.h"
#include "server/upgrade/upgrade_sessions.h"
#include "server/upgrade/upgrade_target.h"

namespace lss {

// FAILED_PRECONDITION of PriceUpgrade when the server runs without
// --price_catalogue.
inline constexpr absl::string_view kReasonPriceCatalogueMissing = "PRICE_CATALOGUE_NOT_CONFIGURED";

class UpgradeWizard {
 public:
  // `catalogue` may be null (no --price_catalogue): PriceUpgrade then fails.
  UpgradeWizard(UpgradeSessions& sessions, KeyAdministrator& ka, WorkerPool& pool, const PriceCatalogue* catalogue)
      : sessions_(sessions), ka_(ka), pool_(pool), catalogue_(catalogue) {}

  // Opens a session for an ACTIVE license with no order being placed: reads
  // the key, its available upgrades and the catalogue from KA.
  void Start(const CallerIdentity& caller, const LicenseRef& license,
             absl::AnyInvocable<void(absl::StatusOr<UpgradeRecord>) &&> done);

  // Sets (or replaces) the target; drops any price.
  absl::StatusOr<UpgradeRecord> Configure(absl::string_view upgrade_id, const UpgradeRequest& request);

  absl::StatusOr<UpgradeRecord> Price(absl::string_view upgrade_id);

  absl::StatusOr<UpgradeRecord> Get(absl::string_view upgrade_id);

  // Newest first. A state filter of EXPIRED finds the sessions whose TTL ran
  // out even if no step has touched them since.
  absl::StatusOr<Page<UpgradeRecord>> List(const UpgradeFilter& filter, int32_t page_size,
                                           absl::string_view page_token);

  // Cancelling a CANCELLED session returns it as it is.
  absl::StatusOr<UpgradeRecord> Cancel(absl::string_view upgrade_id);

 private:
  class Opening;  // upgrade_opening.cc

  UpgradeSessions& sessions_;
  KeyAdministrator& ka_;
  WorkerPool& pool_;
  const PriceCatalogue* const catalogue_;
};

}  // namespace lss
