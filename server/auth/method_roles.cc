#include "server/auth/method_roles.h"

namespace lss {
namespace {

struct MethodPolicy {
  absl::string_view method;
  Role role;
  bool changes_state;
};

constexpr MethodPolicy kPolicies[] = {
    // Read and watch.
    {"GetLicense", Role::kViewer, false},
    {"ListLicenses", Role::kViewer, false},
    {"ListSyncHistory", Role::kViewer, false},
    {"GetSyncJob", Role::kViewer, false},
    {"ListSyncJobs", Role::kViewer, false},
    {"WatchSyncJob", Role::kViewer, false},
    {"ListDailyRuns", Role::kViewer, false},
    {"GetUpgrade", Role::kViewer, false},
    {"ListUpgrades", Role::kViewer, false},
    // Sync, upgrade, create, import, terminate.
    {"SyncLicense", Role::kOperator, true},
    {"SyncAll", Role::kOperator, true},
    {"CancelSyncJob", Role::kOperator, true},
    {"StartUpgrade", Role::kOperator, true},
    {"ConfigureUpgrade", Role::kOperator, true},
    {"PriceUpgrade", Role::kOperator, true},
    {"PlaceUpgradeOrder", Role::kOperator, true},
    {"CancelUpgrade", Role::kOperator, true},
    {"CreateLicense", Role::kOperator, true},
    {"ImportLicenses", Role::kOperator, true},
    {"TerminateLicense", Role::kOperator, true},
    // The audit log.
    {"ListAuditEvents", Role::kAdmin, false},
};

const MethodPolicy* Find(absl::string_view method) {
  for (const MethodPolicy& policy : kPolicies) {
    if (policy.method == method) return &policy;
  }
  return nullptr;
}

}  // namespace

Role RequiredRole(absl::string_view method) {
  const MethodPolicy* policy = Find(method);
  return policy == nullptr ? Role::kAdmin : policy->role;
}

bool ChangesState(absl::string_view method) {
  const MethodPolicy* policy = Find(method);
  return policy != nullptr && policy->changes_state;
}

}  // namespace lss
