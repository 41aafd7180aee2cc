// Renews licenses at KA: the daily run's renewal phase. Asks KA to renew a
// page of licenses at once (the KA client bounds the calls in flight) and
// stores each answer's new dates with the license.
//
// Blocking; call from one thread at a time per instance.
#pragma once

#include <vector>

#include "client/key_administrator.h"
#include "common/clock.h"
#include "storage/daily_run_model.h"
#include "storage/license_repository.h"

namespace lss {

// What became of a page of renewals.
struct RenewalCounts {
  int64_t renewed = 0;
  std::vector<DailyRunFailure> failures;  // every license not renewed, and why
};

class LicenseRenewer {
 public:
  LicenseRenewer(LicenseRepository& licenses, KeyAdministrator& ka, const Clock& clock)
      : licenses_(licenses), ka_(ka), clock_(clock) {}

  // Renews every license of `licenses` at KA and records KA's new dates.
  // A license KA refuses (terminated, unknown, unreachable) is a failure and
  // stays as it was, to be retried by the next run.
  RenewalCounts Renew(const std::vector<LicenseRecord>& licenses);

 private:
  LicenseRepository& licenses_;
  KeyAdministrator& ka_;
  const Clock& clock_;
};

}  // namespace lss
