#include "bench/loaded_scenario.h"

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/bench_log.h"
#include "bench/sync_all_call.h"
#include "bench/unary_callers.h"

namespace lss::bench {

LoadedRun MeasureUnderLoad(BenchStack& stack, const BenchConfig& config, const std::string& run_label,
                           std::vector<std::string>& errors) {
  LoadedRun run;
  run.alone = MeasureSyncAll(stack, config, absl::StrCat(run_label, ", SyncAll alone"), errors);
  if (!run.alone) return run;

  if (absl::Status reset = stack.PrepareMeasurement(); !reset.ok()) {
    errors.push_back(absl::StrCat(run_label, ", SyncAll under load: ", reset.ToString()));
    return run;
  }
  const int connections = std::min(config.loaded_clients, config.unary_connections);
  std::unique_ptr<UnaryCaller> readers =
      NewLicenseServiceCaller(stack.server().address(), UnaryMethod::kGetLicense, stack.LicenseIds(), connections);
  absl::StatusOr<SyncAllResult> loaded = absl::UnknownError("not run");
  UnaryLoadResult reads = RunClosedLoopDuring(*readers, config.loaded_clients, config.unary_warm_up, [&] {
    loaded = RunSyncAll(stack.server().NewChannel(), config.sync_all_timeout);
  });
  Log(absl::StrFormat("%s GetLicense x%d during SyncAll: %.0f/s, p50 %s, p99 %s", run_label, config.loaded_clients,
                      reads.PerSecond(), absl::FormatDuration(reads.latency.p50),
                      absl::FormatDuration(reads.latency.p99)));
  if (reads.errors > 0) {
    errors.push_back(absl::StrCat(run_label, ", GetLicense during SyncAll: ", reads.errors, " of ", reads.calls,
                                  " calls failed, first: ", reads.first_error));
  }
  run.reads = std::move(reads);
  if (!loaded.ok()) {
    errors.push_back(absl::StrCat(run_label, ", SyncAll under load: ", loaded.status().ToString()));
    return run;
  }
  Log(absl::StrCat(run_label, " SyncAll under load: ", loaded->Describe()));
  if (std::string wrong = CheckAllInSync(*loaded, config.licenses); !wrong.empty()) {
    errors.push_back(absl::StrCat(run_label, ", SyncAll under load: ", wrong));
  }
  run.loaded = *loaded;
  return run;
}

}  // namespace lss::bench
