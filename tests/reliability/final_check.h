// The invariants every scenario ends with (issue 8), checked against the
// ground truth after the faults are gone: a final clean SyncAll of every
// license; then, read through the public APIs, every license's status and
// mismatch kinds, every job's totals, every upgrade session, every key at
// KA and ka-mock's UpgradeKey count. Each check is a gtest expectation that
// names what differs; the figures go to the report. Runs on the test's
// thread.
#pragma once

#include "licensing/v1/license_service.grpc.pb.h"
#include "tests/reliability/ground_truth.h"
#include "tests/reliability/ka_mock_client.h"
#include "tests/reliability/scenario_report.h"

namespace lss::reliability {

void CheckFinalInvariants(licensing::v1::LicenseService::Stub& stub, KaMockClient& ka, const GroundTruth& truth,
                          ScenarioReport& report);

}  // namespace lss::reliability
