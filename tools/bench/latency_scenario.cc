#include "bench/latency_scenario.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/bench_log.h"
#include "bench/bench_processes.h"

namespace lss::bench {
namespace {

// ka-mock alone, through the bare client at `in_flight`.
std::optional<KaLoadResult> MeasureBare(BenchStack& stack, const BenchConfig& config, int in_flight,
                                        const std::string& run_label, std::vector<std::string>& errors) {
  const KaCredentials credentials{stack.ka().login(), stack.ka().password()};
  absl::StatusOr<KaLoadResult> bare = MeasureGetKeyInfo(stack.ka().address(), credentials, stack.KeyBases(), in_flight);
  if (!bare.ok()) {
    errors.push_back(absl::StrCat(run_label, ", latency-bound bare KA at ", in_flight, ": ", bare.status().ToString()));
    return std::nullopt;
  }
  Log(absl::StrFormat("%s latency-bound: ka-mock alone %.0f calls/s at %d in flight (L / latency %.0f)", run_label,
                      bare->PerSecond(), in_flight, LatencyCeiling(config)));
  if (bare->errors > 0) {
    errors.push_back(absl::StrCat(run_label, ", latency-bound bare KA at ", in_flight, ": ", bare->errors,
                                  " calls failed, first: ", bare->first_error));
  }
  return *bare;
}

}  // namespace

LatencyRun MeasureLatencyBound(BenchStack& stack, const BenchConfig& config, const std::string& run_label,
                               std::vector<std::string>& errors) {
  LatencyRun run;
  if (absl::Status set = SetKaLatency(stack.ka(), config.ka_latency); !set.ok()) {
    errors.push_back(absl::StrCat(run_label, ", latency-bound: ", set.ToString()));
    return run;
  }
  run.bare = MeasureBare(stack, config, config.latency_in_flight, run_label, errors);
  run.bare_double = MeasureBare(stack, config, 2 * config.latency_in_flight, run_label, errors);

  run.sync_all = MeasureSyncAll(stack, config, absl::StrCat(run_label, ", latency-bound SyncAll"), errors);

  if (absl::Status cleared = SetKaLatency(stack.ka(), absl::ZeroDuration()); !cleared.ok()) {
    errors.push_back(absl::StrCat(run_label, ", clearing KA latency: ", cleared.ToString()));
  }
  return run;
}

double LatencyCeiling(const BenchConfig& config) {
  return config.latency_in_flight / absl::ToDoubleSeconds(config.ka_latency);
}

}  // namespace lss::bench
