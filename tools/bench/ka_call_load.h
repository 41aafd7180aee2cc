// K of DESIGN.md §5: how fast the KA calls that SyncAll makes can go when
// nothing else happens, through the same client (lss::KeyAdministratorClient)
// against the same ka-mock, with no database and no server in between.
// SyncAll makes one of two kinds of calls, by license-server's --sync_bulk:
// GetKeyInfo per license (by key base), or ListKeys pages of the whole
// account (each page needs the previous page's token, so one is in flight
// at a time).
//
// Blocking; call from one thread at a time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/ka_credentials.h"

namespace lss::bench {

struct KaLoadResult {
  int max_in_flight = 0;  // GetKeyInfo; 1 for ListKeys
  int64_t calls = 0;
  int64_t licenses = 0;  // licenses covered: one per GetKeyInfo, the main keys of the pages
  int64_t errors = 0;
  std::string first_error;
  absl::Duration elapsed;

  // Licenses per second, whichever the calls.
  double PerSecond() const;
};

// GetKeyInfo once for each of `key_numbers`, through a new client whose
// in-flight limit is `max_in_flight`, to `target` (ka-mock). The client is
// kept busy: 2 x max_in_flight calls are outstanding at all times, so its
// limiter, not this loop, is the bound. The connection is warmed up first,
// untimed. Failed calls are counted in the result; an error when the client
// cannot be made, or when answers stop coming (calls lost).
absl::StatusOr<KaLoadResult> MeasureGetKeyInfo(const std::string& target, const KaCredentials& credentials,
                                               const std::vector<std::string>& key_numbers, int max_in_flight);

// ListKeys from the first page to the last, `page_size` keys a page, as a
// bulk SyncAll reads KA's account, after one untimed page. `licenses` counts
// the main keys (additional keys are billed with their main key).
absl::StatusOr<KaLoadResult> MeasureListKeys(const std::string& target, const KaCredentials& credentials,
                                             int page_size);

}  // namespace lss::bench
