// TerminateLicense (DESIGN.md §1: to go lower, terminate and order a smaller
// license): terminates the key at KA, then marks the license TERMINATED.
//
// Idempotent: a license already TERMINATED is returned without calling KA;
// KA answering that the key is terminated already (an earlier attempt whose
// answer was lost, or an operator at KA) or unknown still ends with the
// license TERMINATED. Refused with FAILED_PRECONDITION (UPGRADE_ORDER_PLACING)
// while an upgrade order is being placed for the license.
//
// Before KA is called, the license is marked as being terminated for
// `claim` (LicenseRepository::BeginTermination), in the database, so that
// no replica starts or places an upgrade on the key meanwhile; the mark is
// cleared when KA does not terminate the key, and runs out after a crash.
//
// Thread-safe; answers through `done` on a WorkerPool thread.
#pragma once

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "client/key_administrator.h"
#include "common/clock.h"
#include "server/licenses/license_ref.h"
#include "server/runtime/worker_pool.h"
#include "storage/license_repository.h"

namespace lss {

class LicenseTerminator {
 public:
  LicenseTerminator(LicenseRepository& licenses, KeyAdministrator& ka, WorkerPool& pool, const Clock& clock,
                    absl::Duration claim)
      : licenses_(licenses), ka_(ka), pool_(pool), clock_(clock), claim_(claim) {}

  void Terminate(const LicenseRef& ref, absl::AnyInvocable<void(absl::StatusOr<LicenseRecord>) &&> done);

 private:
  LicenseRepository& licenses_;
  KeyAdministrator& ka_;
  WorkerPool& pool_;
  const Clock& clock_;
  const absl::Duration claim_;
};

}  // namespace lss
