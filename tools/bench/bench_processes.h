// Starting the programs a benchmark measures, the way the benchmark wants
// them: a private MariaDB sized for the data, ka-mock, license-server on a
// given database (MariaDB or SQLite), and the two seeding steps (keys at
// KA, licenses in billing). Built on the integration-test harness (tests/harness), so the
// processes are the ones the tests run, on free loopback ports, and die
// with the benchmark.
//
// Not thread-safe: call from the benchmark's main thread, which must outlive
// the processes (the harness ties each child's life to its starting thread).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bench/bench_database.h"
#include "tests/harness/harness.h"

namespace lss::bench {

// A private MariaDB in `parent_dir`/mariadb/ (created), with `extra_args`
// appended to the harness's own (later flags win, so they override its
// small test buffers).
absl::StatusOr<std::unique_ptr<harness::MariaDbProcess>> StartMariaDb(const std::string& parent_dir,
                                                                      const std::vector<std::string>& extra_args);

// ka-mock with no keys. Its log and port file go to `parent_dir`/`name`/
// (created), since the harness names them after the binary.
absl::StatusOr<std::unique_ptr<harness::KaMockProcess>> StartKaMock(const std::string& parent_dir,
                                                                    const std::string& name);

// Replaces the mock's keys with `count` deterministic main keys (SeedKeys,
// reset). The licenses an import creates are these main keys.
absl::Status SeedKeys(const harness::KaMockProcess& ka, int64_t count);

// Sets ka-mock's injected latency on every KA call (0 clears all faults).
absl::Status SetKaLatency(const harness::KaMockProcess& ka, absl::Duration latency);

// license-server over `database`, talking to `ka`, with `extra_args` after
// the harness's flags; its log and port file go to `parent_dir`/`name`/
// (created). Returns once it serves.
absl::StatusOr<std::unique_ptr<harness::LicenseServerProcess>> StartLicenseServer(
    const BenchDatabase& database, const harness::KaMockProcess& ka, const std::string& parent_dir,
    const std::string& name, const std::vector<std::string>& extra_args);

// ImportLicenses of the whole KA account through `server`; returns how many
// licenses it created.
absl::StatusOr<int64_t> ImportAllLicenses(const harness::LicenseServerProcess& server);

}  // namespace lss::bench
