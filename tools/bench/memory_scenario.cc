#include "bench/memory_scenario.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/bench_log.h"
#include "bench/bench_processes.h"
#include "bench/database_chores.h"
#include "bench/machine_info.h"

namespace lss::bench {
namespace {

// Seen on MariaDB 10.11: about 1 KiB a license for the tables with their
// indexes and one SyncAll of history (100 MB at 100k); three times that,
// plus room for InnoDB's redo log (512 MB with the default flags) and undo.
constexpr int64_t kBytesPerLicense = 3 * 1024;
constexpr int64_t kFixedBytes = int64_t{1} << 30;

// One size from seeding to the last run. Returns an error for a failure
// that ends the size; per-run failures go to `errors`.
absl::Status MeasureSize(const harness::MariaDbProcess& mariadb, const std::string& work_dir, const BenchConfig& config,
                         MemorySize& size, std::vector<std::string>& errors) {
  const std::string label = absl::StrCat("memory ", size.licenses);
  const std::string database = absl::StrCat("lss_mem_", size.licenses);
  (void)mariadb.Execute(absl::StrCat("DROP DATABASE IF EXISTS `", database, "`"));
  if (absl::Status created = mariadb.CreateDatabase(database); !created.ok()) return created;

  const absl::Time seeding_start = absl::Now();
  absl::StatusOr<std::unique_ptr<harness::KaMockProcess>> ka =
      StartKaMock(work_dir, absl::StrCat("ka-mock-", size.licenses));
  if (!ka.ok()) return ka.status();
  if (absl::Status seeded = SeedKeys(**ka, size.licenses); !seeded.ok()) return seeded;
  {
    absl::StatusOr<std::unique_ptr<harness::LicenseServerProcess>> importer = StartLicenseServer(
        mariadb, database, **ka, work_dir, absl::StrCat("import-", size.licenses), config.ServerFlags());
    if (!importer.ok()) return importer.status();
    absl::StatusOr<int64_t> imported = ImportAllLicenses(**importer);
    if (!imported.ok()) return imported.status();
    if (*imported != size.licenses) {
      return absl::InternalError(absl::StrCat("imported ", *imported, " licenses, expected ", size.licenses));
    }
    (*importer)->Stop();
  }
  size.seeding = absl::Now() - seeding_start;
  absl::StatusOr<absl::Duration> settled = SettleInnoDb(mariadb, absl::Minutes(5));
  if (!settled.ok()) return settled.status();
  Log(absl::StrCat(label, ": InnoDB settled after the import in ", absl::FormatDuration(*settled)));

  for (int r = 1; r <= config.runs; ++r) {
    const std::string run_label = absl::StrCat(label, " run ", r, "/", config.runs);
    if (absl::Status reset = ResetSyncHistory(mariadb, database); !reset.ok()) return reset;
    if (absl::StatusOr<absl::Duration> settled = SettleInnoDb(mariadb, absl::Minutes(2)); !settled.ok()) {
      return settled.status();
    }
    absl::StatusOr<std::unique_ptr<harness::LicenseServerProcess>> server = StartLicenseServer(
        mariadb, database, **ka, work_dir, absl::StrCat("mem-", size.licenses, "-run", r), config.ServerFlags());
    if (!server.ok()) return server.status();
    MemoryRun run;
    absl::StatusOr<ProcessMemory> at_start = ReadProcessMemory((*server)->pid());
    absl::StatusOr<SyncAllResult> sync_all = RunSyncAll((*server)->NewChannel(), config.sync_all_timeout);
    absl::StatusOr<ProcessMemory> at_end = ReadProcessMemory((*server)->pid());
    (*server)->Stop();
    if (!at_start.ok() || !at_end.ok() || !sync_all.ok()) {
      errors.push_back(absl::StrCat(run_label, ": ",
                                    !sync_all.ok()   ? sync_all.status().ToString()
                                    : !at_start.ok() ? at_start.status().ToString()
                                                     : at_end.status().ToString()));
      continue;
    }
    if (std::string wrong = CheckAllInSync(*sync_all, size.licenses); !wrong.empty()) {
      errors.push_back(absl::StrCat(run_label, ": ", wrong));
    }
    run.at_start = *at_start;
    run.at_end = *at_end;
    run.sync_all = *sync_all;
    Log(absl::StrFormat("%s: VmHWM %d KiB (at start %d KiB), SyncAll %.0f/s", run_label, run.at_end.peak_resident_kib,
                        run.at_start.peak_resident_kib, sync_all->PerSecond()));
    size.runs.push_back(run);
  }
  (*ka)->Stop();
  return mariadb.Execute(absl::StrCat("DROP DATABASE `", database, "`"), absl::Minutes(10));
}

}  // namespace

int64_t EstimatedDiskBytes(int64_t licenses) { return licenses * kBytesPerLicense + kFixedBytes; }

std::vector<MemorySize> MeasureMemory(const harness::MariaDbProcess& mariadb, const std::string& work_dir,
                                      const BenchConfig& config, std::vector<std::string>& errors) {
  std::vector<MemorySize> sizes;
  for (int64_t licenses : config.memory_sizes) {
    MemorySize size;
    size.licenses = licenses;
    absl::StatusOr<int64_t> free_bytes = FreeDiskBytes(mariadb.data_dir());
    const int64_t needed = EstimatedDiskBytes(licenses);
    if (!free_bytes.ok()) {
      size.skipped = free_bytes.status().ToString();
    } else if (*free_bytes < needed) {
      size.skipped = absl::StrFormat("%d MiB free where MariaDB keeps its data, about %d MiB needed", *free_bytes >> 20,
                                     needed >> 20);
    }
    if (!size.skipped.empty()) {
      Log(absl::StrCat("memory ", licenses, ": skipped: ", size.skipped));
      sizes.push_back(size);
      continue;
    }
    Log(absl::StrCat("memory ", licenses, ": seeding and importing"));
    if (absl::Status measured = MeasureSize(mariadb, work_dir, config, size, errors); !measured.ok()) {
      errors.push_back(absl::StrCat("memory ", licenses, ": ", measured.ToString()));
      (void)mariadb.Execute(absl::StrCat("DROP DATABASE IF EXISTS `lss_mem_", licenses, "`"), absl::Minutes(10));
    }
    sizes.push_back(size);
  }
  return sizes;
}

}  // namespace lss::bench
