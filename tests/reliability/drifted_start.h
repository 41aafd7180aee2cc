// Where every SyncAll fault scenario starts its job from: some licenses
// changed at KA (the ground truth records how) and KA slowed down, so that
// the job is still running when the fault comes.
#pragma once

#include "absl/status/status.h"
#include "tests/reliability/ground_truth.h"
#include "tests/reliability/reliability_stack.h"
#include "tests/reliability/scale.h"
#include "tests/reliability/scenario_report.h"

namespace lss::reliability {

// Changes every scale.drift_every-th imported license at KA, in turn of
// every drift kind, recording each in `truth` and the report; then sets
// KA's latency to scale.ka_latency_ms.
absl::Status DriftAndSlowKa(ReliabilityStack& stack, const Scale& scale, GroundTruth& truth,
                            ScenarioReport& report);

}  // namespace lss::reliability
