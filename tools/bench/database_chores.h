// What the benchmark does to its MariaDB between measurements, as root,
// through the harness's SQL helpers: nothing here is the code under test.
//
// Not thread-safe with respect to the server's restarts; call from the
// benchmark's main thread.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tests/harness/harness.h"

namespace lss::bench {

// SELECT VERSION() as root.
std::string MariaDbVersion(const harness::MariaDbProcess& mariadb);

// Empties `database`'s sync history, so that every measurement writes into
// the same table state however many ran before it.
absl::Status ResetSyncHistory(const harness::MariaDbProcess& mariadb, absl::string_view database);

// Lets InnoDB finish the background work a bulk load leaves (flushing dirty
// pages, purging undo history) before anything is timed, so that the first
// measurement after seeding does not share the disk and CPU with it: flushes
// eagerly until few pages are dirty and the history list is short, or
// `timeout` passes (not an error: the figures are then just noisier).
// Returns how long it waited.
absl::StatusOr<absl::Duration> SettleInnoDb(const harness::MariaDbProcess& mariadb, absl::Duration timeout);

}  // namespace lss::bench
