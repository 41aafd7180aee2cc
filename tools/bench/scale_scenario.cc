#include "bench/scale_scenario.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/bench_log.h"
#include "bench/bench_processes.h"
#include "bench/daily_run_call.h"
#include "bench/machine_info.h"

namespace lss::bench {
namespace {

// One size from seeding to the last run, on `database`. Returns an error
// for a failure that ends the size; per-run failures go to `errors`.
absl::Status MeasureSize(BenchDatabase& database, const std::string& work_dir, const BenchConfig& config,
                         SizeResult& size, std::vector<std::string>& errors) {
  const std::string label = absl::StrCat("size ", size.licenses);
  const absl::Time seeding_start = absl::Now();
  absl::StatusOr<std::unique_ptr<harness::KaMockProcess>> ka =
      StartKaMock(work_dir, absl::StrCat("ka-mock-", size.licenses));
  if (!ka.ok()) return ka.status();
  if (absl::Status seeded = SeedKeys(**ka, size.licenses); !seeded.ok()) return seeded;
  {
    absl::StatusOr<std::unique_ptr<harness::LicenseServerProcess>> importer =
        StartLicenseServer(database, **ka, work_dir, absl::StrCat("import-", size.licenses), config.ServerFlags());
    if (!importer.ok()) return importer.status();
    absl::StatusOr<int64_t> imported = ImportAllLicenses(**importer);
    if (!imported.ok()) return imported.status();
    if (*imported != size.licenses) {
      return absl::InternalError(absl::StrCat("imported ", *imported, " licenses, expected ", size.licenses));
    }
    (*importer)->Stop();
  }
  size.seeding = absl::Now() - seeding_start;
  absl::StatusOr<absl::Duration> settled = database.Settle(absl::Minutes(5));
  if (!settled.ok()) return settled.status();
  Log(absl::StrCat(label, ": database settled after the import in ", absl::FormatDuration(*settled)));

  for (int r = 1; config.RunsSizeSyncAlls() && r <= config.runs; ++r) {
    const std::string run_label = absl::StrCat(label, " run ", r, "/", config.runs);
    if (absl::Status reset = database.ResetSyncHistory(); !reset.ok()) return reset;
    if (absl::StatusOr<absl::Duration> settled = database.Settle(absl::Minutes(2)); !settled.ok()) {
      return settled.status();
    }
    absl::StatusOr<std::unique_ptr<harness::LicenseServerProcess>> server = StartLicenseServer(
        database, **ka, work_dir, absl::StrCat("size-", size.licenses, "-run", r), config.ServerFlags());
    if (!server.ok()) return server.status();
    SizeRun run;
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
    Log(absl::StrFormat("%s: SyncAll %.0f/s (job time %s), VmHWM %d KiB (at start %d KiB)", run_label,
                        sync_all->PerSecond(), absl::FormatDuration(sync_all->job_time), run.at_end.peak_resident_kib,
                        run.at_start.peak_resident_kib));
    size.runs.push_back(run);
  }
  if (config.Runs(kScenarioDaily)) {
    // From the same state as a SyncAll run: its sync phase is one.
    if (absl::Status reset = database.ResetSyncHistory(); !reset.ok()) return reset;
    if (absl::StatusOr<absl::Duration> settled = database.Settle(absl::Minutes(2)); !settled.ok()) {
      return settled.status();
    }
    absl::StatusOr<DailyRunResult> daily =
        RunDailyRun(database, **ka, work_dir, absl::StrCat("daily-", size.licenses), config.ServerFlags(),
                    4 * config.sync_all_timeout);
    if (daily.ok()) {
      Log(absl::StrCat(label, ": daily run ", daily->state, " in ", absl::FormatDuration(daily->time)));
      size.daily = *std::move(daily);
    } else {
      errors.push_back(absl::StrCat(label, " daily run: ", daily.status().ToString()));
    }
  }
  (*ka)->Stop();
  return absl::OkStatus();
}

}  // namespace

std::vector<SizeResult> MeasureSizes(DatabaseHost& host, const std::string& work_dir, const BenchConfig& config,
                                     std::vector<std::string>& errors) {
  std::vector<SizeResult> sizes;
  for (int64_t licenses : config.sizes) {
    SizeResult size;
    size.licenses = licenses;
    absl::StatusOr<int64_t> free_bytes = FreeDiskBytes(host.DataDir());
    const int64_t needed = host.EstimatedDiskBytes(licenses);
    if (!free_bytes.ok()) {
      size.skipped = free_bytes.status().ToString();
    } else if (*free_bytes < needed) {
      size.skipped = absl::StrFormat("%d MiB free where the database keeps its data, about %d MiB needed",
                                     *free_bytes >> 20, needed >> 20);
    }
    if (!size.skipped.empty()) {
      Log(absl::StrCat("size ", licenses, ": skipped: ", size.skipped));
      sizes.push_back(size);
      continue;
    }
    Log(absl::StrCat("size ", licenses, ": seeding and importing"));
    absl::StatusOr<std::unique_ptr<BenchDatabase>> database = host.Create(absl::StrCat("size_", licenses));
    absl::Status measured = database.ok() ? MeasureSize(**database, work_dir, config, size, errors) : database.status();
    if (!measured.ok()) errors.push_back(absl::StrCat("size ", licenses, ": ", measured.ToString()));
    if (database.ok()) {
      if (absl::Status dropped = (*database)->Drop(); !dropped.ok()) {
        errors.push_back(absl::StrCat("size ", licenses, ": dropping its database: ", dropped.ToString()));
      }
    }
    sizes.push_back(size);
  }
  return sizes;
}

}  // namespace lss::bench
