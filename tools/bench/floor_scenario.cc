#include "bench/floor_scenario.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/bench_log.h"
#include "bench/stats.h"

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

// Ours, not a floor: SyncJobRepository's claims and chunk commits.
void MeasureOursD(BenchStack& stack, const BenchConfig& config, const std::string& run_label, FloorRun& run,
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
      errors.push_back(absl::StrCat(run_label, ", our CompleteChunk at batch ", batch, ": ", d.status().ToString()));
      continue;
    }
    Log(absl::StrFormat("%s our CompleteChunk (not a floor): batch %d, %.0f rows/s", run_label, batch, d->PerSecond()));
    run.ours_d.push_back(*d);
  }
}

// The floor's D: plain SQL on a table of its own, as many rows as licenses.
void MeasureBareD(BenchStack& stack, const BenchConfig& config, const std::string& run_label, FloorRun& run,
                  std::vector<std::string>& errors) {
  absl::StatusOr<std::vector<BareWriteResult>> d = MeasureBareSyncWrites(
      stack.database().BareTarget(), config.licenses, config.batches, [&] { return stack.Settle(); });
  if (!d.ok()) {
    errors.push_back(absl::StrCat(run_label, ", bare D: ", d.status().ToString()));
    return;
  }
  for (const BareWriteResult& pass : *d) {
    Log(absl::StrFormat("%s bare D: %s, batch %d, %.0f rows/s", run_label, BareWriteMethodName(pass.method), pass.batch,
                        pass.PerSecond()));
  }
  run.d = *std::move(d);
}

}  // namespace

FloorRun MeasureFloor(BenchStack& stack, const BenchConfig& config, const std::string& run_label,
                      std::vector<std::string>& errors) {
  FloorRun run;
  if (config.Runs(kScenarioK)) MeasureK(stack, config, run_label, run, errors);
  if (config.Runs(kScenarioD)) {
    // Frozen, license-server takes no CPU from the bare writes, and its
    // runner claims no chunk of our chunk-write job (it works on whatever
    // job runs); it holds no lock and claims nothing until thawed.
    stack.server().Freeze();
    MeasureBareD(stack, config, run_label, run, errors);
    MeasureOursD(stack, config, run_label, run, errors);
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

const BareWriteResult* BestBareWrite(const FloorRun& run, BareWriteMethod method) {
  const BareWriteResult* best = nullptr;
  for (const BareWriteResult& d : run.d) {
    if (d.method == method && (best == nullptr || d.PerSecond() > best->PerSecond())) best = &d;
  }
  return best;
}

double BestD(const FloorRun& run, BareWriteMethod method) {
  const BareWriteResult* best = BestBareWrite(run, method);
  return best != nullptr ? best->PerSecond() : 0;
}

double BestD(const FloorRun& run, Backend backend) { return BestD(run, BareWriteMethods(backend).front()); }

double BestOursD(const FloorRun& run) {
  double best = 0;
  for (const ChunkWriteResult& d : run.ours_d) best = std::max(best, d.PerSecond());
  return best;
}

double Floor(const FloorRun& run, Backend backend) { return SerialRate({BestK(run), BestD(run, backend)}); }

}  // namespace lss::bench
