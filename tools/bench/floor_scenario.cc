#include "bench/floor_scenario.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/bench_log.h"

namespace lss::bench {

namespace {

void MeasureK(BenchStack& stack, const BenchConfig& config, const std::string& run_label, FloorRun& run,
              std::vector<std::string>& errors) {
  const KaCredentials credentials{stack.ka().login(), stack.ka().password()};
  if (config.sync_bulk) {
    absl::StatusOr<KaLoadResult> k = MeasureListKeys(stack.ka().address(), credentials, config.ka_page_size);
    if (!k.ok()) {
      errors.push_back(absl::StrCat(run_label, ", K (ListKeys): ", k.status().ToString()));
      return;
    }
    Log(absl::StrFormat("%s K: ListKeys, %d pages of %d, %.0f licenses/s", run_label, k->calls, config.ka_page_size,
                        k->PerSecond()));
    run.k.push_back(*k);
    return;
  }
  const std::vector<std::string> keys = stack.KeyBases();
  for (int limit : config.ka_in_flight) {
    absl::StatusOr<KaLoadResult> k = MeasureGetKeyInfo(stack.ka().address(), credentials, keys, limit);
    if (!k.ok()) {
      errors.push_back(absl::StrCat(run_label, ", K at ", limit, " in flight: ", k.status().ToString()));
      continue;
    }
    Log(absl::StrFormat("%s K: GetKeyInfo, %d in flight, %.0f calls/s (%d errors)", run_label, limit, k->PerSecond(),
                        k->errors));
    if (k->errors > 0) {
      errors.push_back(absl::StrCat(run_label, ", K at ", limit, " in flight: ", k->errors,
                                    " calls failed, first: ", k->first_error));
    }
    run.k.push_back(*k);
  }
}

void MeasureD(BenchStack& stack, const BenchConfig& config, const std::string& run_label, FloorRun& run,
              std::vector<std::string>& errors) {
  const std::vector<LicenseSyncOutcome> outcomes = InSyncOutcomes(stack.licenses(), absl::Now());
  for (int64_t batch : config.batches) {
    absl::StatusOr<ChunkWriteResult> d = absl::UnknownError("not run");
    if (absl::Status reset = stack.PrepareMeasurement(); !reset.ok()) {
      d = reset;
    } else {
      d = MeasureChunkWrites(stack.sync_jobs(), outcomes, batch);
    }
    if (!d.ok()) {
      errors.push_back(absl::StrCat(run_label, ", D at batch ", batch, ": ", d.status().ToString()));
      continue;
    }
    Log(absl::StrFormat("%s D: batch %d, %.0f rows/s", run_label, batch, d->PerSecond()));
    run.d.push_back(*d);
  }
}

}  // namespace

FloorRun MeasureFloor(BenchStack& stack, const BenchConfig& config, const std::string& run_label,
                      std::vector<std::string>& errors) {
  FloorRun run;
  if (config.Runs(kScenarioK)) MeasureK(stack, config, run_label, run, errors);
  if (config.Runs(kScenarioD)) {
    // license-server's runner would claim chunks of the bench's job (it
    // works on whatever job runs): frozen, it holds no lock and claims
    // nothing until thawed.
    stack.server().Freeze();
    MeasureD(stack, config, run_label, run, errors);
    stack.server().Thaw();
  }
  if (config.Runs(kScenarioSyncAll) || config.Runs(kScenarioLatency)) {
    run.sync_all = MeasureSyncAll(stack, config, absl::StrCat(run_label, ", SyncAll"), errors);
  }
  return run;
}

double BestK(const FloorRun& run) {
  double best = 0;
  for (const KaLoadResult& k : run.k) best = std::max(best, k.PerSecond());
  return best;
}

double BestD(const FloorRun& run) {
  double best = 0;
  for (const ChunkWriteResult& d : run.d) best = std::max(best, d.PerSecond());
  return best;
}

double Floor(const FloorRun& run) {
  const double k = BestK(run);
  const double d = BestD(run);
  return k > 0 && d > 0 ? 1 / (1 / k + 1 / d) : 0;
}

}  // namespace lss::bench
