// The system under test for every scenario but the sizes: a database of
// its own (MariaDB or SQLite, bench_database.h), ka-mock seeded with the
// keys, license-server over them with the licenses imported, and the
// benchmark's own connection to the database through our storage (for our
// chunk writes, and to know the licenses). Everything is thrown away with
// the stack.
//
// Not thread-safe: build, use and destroy it on the benchmark's main thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bench/bench_config.h"
#include "bench/bench_database.h"
#include "bench/sync_all_call.h"
#include "storage/database.h"
#include "tests/harness/harness.h"

namespace lss::bench {

class BenchStack {
 public:
  // Creates a database on `host`, starts ka-mock and license-server with
  // their files in `work_dir`, seeds config.licenses keys, imports them and
  // reads them back.
  static absl::StatusOr<std::unique_ptr<BenchStack>> Start(const BenchConfig& config, DatabaseHost& host,
                                                           const std::string& work_dir);

  // Stops the services and drops the database.
  ~BenchStack();

  BenchDatabase& database() { return *database_; }
  harness::KaMockProcess& ka() { return *ka_; }
  harness::LicenseServerProcess& server() { return *server_; }
  // Ours, through storage/: not for floors.
  SyncJobRepository& sync_jobs() { return storage_->sync_jobs(); }
  const std::string& work_dir() const { return work_dir_; }

  const std::vector<LicenseRecord>& licenses() const { return licenses_; }
  std::vector<int64_t> LicenseIds() const;
  // What SyncAll asks KA for: each license's key base.
  std::vector<std::string> KeyBases() const;

  // Before every timed SyncAll or chunk-write pass: empties the sync history
  // and lets the engine settle (BenchDatabase), so that each measurement
  // starts from the same state, not in the wake of the last.
  absl::Status PrepareMeasurement();
  // Only the settling, before a pass that writes no history (bare D).
  absl::Status Settle();

  // How long seeding the keys and importing them took.
  absl::Duration seeding() const { return seeding_; }
  // The command lines of the processes, for the report.
  std::vector<std::string> Commands() const;

  // Stops license-server and ka-mock, so that their idle threads do not
  // share the CPU with what follows.
  void StopServices();

 private:
  BenchStack(std::unique_ptr<BenchDatabase> database, std::string work_dir)
      : database_(std::move(database)), work_dir_(std::move(work_dir)) {}

  std::unique_ptr<BenchDatabase> database_;  // first: dropped last, after every user of it
  const std::string work_dir_;
  std::unique_ptr<harness::KaMockProcess> ka_;
  std::unique_ptr<harness::LicenseServerProcess> server_;
  std::unique_ptr<Database> storage_;
  std::vector<LicenseRecord> licenses_;
  absl::Duration seeding_;
  std::vector<std::string> commands_;
};

// One timed SyncAll from a prepared state (PrepareMeasurement), checked to
// have found every license In Sync. Unset when it failed, the failure then
// appended to `errors` as "<label>: ...".
std::optional<SyncAllResult> MeasureSyncAll(BenchStack& stack, const BenchConfig& config, const std::string& label,
                                            std::vector<std::string>& errors);

}  // namespace lss::bench
