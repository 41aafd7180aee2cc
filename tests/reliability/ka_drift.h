// Drift made at KA behind billing's back, through ka-mock's ChangeKey, of
// every kind a sync reports, and recorded in the ground truth with the
// mismatch kinds it must produce: the test knows exactly what it changed.
// Not thread-safe (one test thread applies it before or between loads).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "licensing/v1/license.pb.h"
#include "tests/reliability/ground_truth.h"
#include "tests/reliability/ka_mock_client.h"

namespace lss::reliability {

enum class DriftKind {
  kRegenerate,        // KEY_CHANGED
  kCapacity,          // CAPACITY_CHANGED
  kAddFeature,        // FEATURES_ADDED
  kRemoveFeature,     // FEATURES_REMOVED
  kExpiration,        // EXPIRATION_CHANGED
  kAttachAdditional,  // ADDITIONAL_KEY_ATTACHED
  kDetachAdditional,  // ADDITIONAL_KEY_DETACHED
  kLicenseClass,      // LICENSE_CLASS_CHANGED
  kTerminate,         // TERMINATED
  kProblem,           // PROBLEM
  kDelete,            // KEY_NOT_FOUND
  kRegenerateAndCapacity,  // KEY_CHANGED and CAPACITY_CHANGED together
};

// Every kind, in the order DriftEvery hands them out.
const std::vector<DriftKind>& AllDriftKinds();
// Kinds an upgrade can adopt afterwards (the key stays upgradable at KA).
const std::vector<DriftKind>& AdoptableDriftKinds();
std::string DriftKindName(DriftKind kind);

struct DriftSummary {
  int64_t licenses = 0;                   // licenses changed
  std::map<std::string, int64_t> by_kind;  // DriftKindName -> licenses
};

// "regenerated 5, capacity 4, ..." for the figures.
std::string DriftText(const DriftSummary& summary);

// Changes one license in each stride of `every` at KA, handing out `kinds`
// in turn: the first license of the stride the kind fits (a feature left to
// add, an additional key to detach, a capacity step above), else the
// stride's first with its key regenerated. Records each change in `truth`;
// licenses already changed are left alone.
absl::StatusOr<DriftSummary> DriftEvery(KaMockClient& ka, const std::vector<licensing::v1::License>& licenses,
                                        int every, const std::vector<DriftKind>& kinds, GroundTruth& truth);

}  // namespace lss::reliability
