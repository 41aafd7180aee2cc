#include "tests/reliability/drifted_start.h"

#include "tests/reliability/ka_drift.h"

namespace lss::reliability {

absl::Status DriftAndSlowKa(ReliabilityStack& stack, const Scale& scale, GroundTruth& truth,
                            ScenarioReport& report) {
  absl::StatusOr<DriftSummary> drift =
      DriftEvery(stack.ka(), stack.imported(), scale.drift_every, AllDriftKinds(), truth);
  if (!drift.ok()) return drift.status();
  report.Add("changed at KA before the job", DriftText(*drift));
  return stack.ka().SetLatency(scale.ka_latency_ms);
}

}  // namespace lss::reliability
