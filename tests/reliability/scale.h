// How big the reliability scenarios run. The reduced size runs in CI on
// every `tools/ci/run-tests.sh`; LSS_RELIABILITY_SCALE=full selects the full
// set that tools/reliability/run-scenarios.sh runs (docs/RELIABILITY.md
// gives both sets of figures). A plain value; thread-safe to read.
#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace lss::reliability {

struct Scale {
  std::string name;  // "ci" or "full"

  // (a), (b), (d): the licenses one SyncAll covers, and how the job is cut.
  // KA answers slowly (latency) and pages are small so that the job lasts
  // long enough for a fault to land in its middle.
  int sync_licenses = 0;
  int ka_page_size = 0;
  int sync_chunk_size = 0;
  int ka_latency_ms = 0;
  // One license in `drift_every` is changed at KA before the job.
  int drift_every = 0;

  // (c): keys seeded, and orders placed through a kill at each step (half
  // of them adopting a change made at KA).
  int upgrade_licenses = 0;
  int upgrade_orders_per_step = 0;

  // (e): the mixed load.
  int load_licenses = 0;
  int load_clients = 0;
  absl::Duration load_duration;
  int64_t load_min_calls = 0;
};

// From LSS_RELIABILITY_SCALE: "full" or (unset, anything else) the CI size.
const Scale& CurrentScale();

}  // namespace lss::reliability
