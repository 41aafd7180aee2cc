#include "server/upgrade/upgrade_target.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/error_details.h"

namespace lss {
namespace {

// Kinds that leave nothing to upgrade or adopt, with their metadata name.
struct Unusable {
  MismatchKind kind;
  absl::string_view name;
  absl::string_view what;
};
constexpr Unusable kUnusable[] = {
    {MismatchKind::kTerminated, "TERMINATED", "is terminated at KA"},
    {MismatchKind::kKeyNotFound, "KEY_NOT_FOUND", "is unknown to KA"},
    {MismatchKind::kProblem, "PROBLEM", "is marked as a problem at KA"},
};

bool Offered(const UpgradeOptions& options, absl::string_view api_name) {
  return std::any_of(options.features.begin(), options.features.end(),
                     [&](const FeatureOffer& offer) { return offer.api_name == api_name; });
}

absl::StatusOr<int64_t> ValidateCapacity(const UpgradeRecord& upgrade, int64_t requested) {
  const int64_t current = upgrade.ka.capacity;
  if (requested == 0 || requested == current) return current;
  if (requested < current) {
    return InvalidArgumentError("capacity",
                                absl::StrCat(requested, " is below KA's capacity ", current,
                                             ": downgrades are refused; terminate and order a smaller license"),
                                kReasonDowngradeRefused);
  }
  const std::vector<int64_t>& steps = upgrade.options.capacity_steps;
  if (!std::binary_search(steps.begin(), steps.end(), requested)) {
    return InvalidArgumentError(
        "capacity",
        absl::StrCat(requested, " is not offered for ", upgrade.ka.license_class, ": the steps are ",
                     absl::StrJoin(steps, ", "), " (at most ", upgrade.options.max_capacity, ")"),
        kReasonCapacityNotOffered);
  }
  return requested;
}

}  // namespace

UpgradeOptions OptionsFor(const KaUpgradeOptions& available, const std::vector<KaKeyType>& types) {
  UpgradeOptions options;
  const auto type = std::find_if(types.begin(), types.end(),
                                 [&](const KaKeyType& t) { return t.name == available.key_type; });
  if (type != types.end()) options.capacity_unit = type->capacity_unit;
  options.capacity_steps.push_back(available.current_capacity);
  for (int64_t step : available.capacity_steps) {
    if (step > available.current_capacity) options.capacity_steps.push_back(step);
  }
  std::sort(options.capacity_steps.begin(), options.capacity_steps.end());
  options.max_capacity = std::max(available.max_capacity, available.current_capacity);
  for (const KaFeature& feature : available.features) {
    options.features.push_back({feature.api_name, feature.display_name});
  }
  std::sort(options.features.begin(), options.features.end(),
            [](const FeatureOffer& a, const FeatureOffer& b) { return a.api_name < b.api_name; });
  return options;
}

absl::Status CheckUpgradable(const SyncResult& billing_against_ka, absl::string_view key_number) {
  for (const Unusable& unusable : kUnusable) {
    for (const Mismatch& mismatch : billing_against_ka.mismatches) {
      if (mismatch.kind != unusable.kind) continue;
      absl::Status refused = WithReason(
          absl::FailedPreconditionError(absl::StrCat("key ", key_number, " ", unusable.what,
                                                     ": it can be neither upgraded nor adopted")),
          kReasonKeyNotUpgradable);
      return WithMetadata(refused, kMismatchMetadata, unusable.name);
    }
  }
  return absl::OkStatus();
}

absl::Status CheckUpgradeRequestLimits(const UpgradeRequest& request) {
  if (request.add_features.size() > kMaxFeaturesPerRequest) {
    return InvalidArgumentError("add_features", absl::StrCat("at most ", kMaxFeaturesPerRequest, " features"));
  }
  for (size_t i = 0; i < request.add_features.size(); ++i) {
    if (request.add_features[i].size() > kMaxApiNameLength) {
      return InvalidArgumentError(absl::StrCat("add_features[", i, "]"),
                                  absl::StrCat("must be at most ", kMaxApiNameLength, " characters"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<UpgradeTarget> ValidateTarget(const UpgradeRecord& upgrade, const UpgradeRequest& request) {
  if (absl::Status limits = CheckUpgradeRequestLimits(request); !limits.ok()) return limits;
  absl::StatusOr<int64_t> capacity = ValidateCapacity(upgrade, request.capacity);
  if (!capacity.ok()) return capacity.status();
  UpgradeTarget target;
  target.capacity = *capacity;
  absl::flat_hash_set<std::string> seen;
  for (size_t i = 0; i < request.add_features.size(); ++i) {
    const std::string& feature = request.add_features[i];
    if (!seen.insert(feature).second) continue;
    if (!Offered(upgrade.options, feature)) {
      const bool has_it = std::binary_search(upgrade.ka.features.begin(), upgrade.ka.features.end(), feature);
      return InvalidArgumentError(
          absl::StrCat("add_features[", i, "]"),
          has_it ? absl::StrCat(feature, " is on the key already")
                 : absl::StrCat(feature, " is not offered for ", upgrade.ka.license_class),
          kReasonFeatureNotOffered);
    }
    target.add_features.push_back(feature);
  }
  std::sort(target.add_features.begin(), target.add_features.end());
  const bool changes_ka = target.capacity != upgrade.ka.capacity || !target.add_features.empty();
  if (!changes_ka && upgrade.sync_status == SyncStatus::kInSync) {
    return InvalidArgumentError(
        std::vector<FieldViolation>{
            {"capacity", "the license is In Sync: raise the capacity or add a feature"},
            {"add_features", "the license is In Sync: raise the capacity or add a feature"}},
        kReasonUpgradeNoChange);
  }
  return target;
}

LicenseConfig TargetConfig(const UpgradeRecord& upgrade) {
  LicenseConfig config = upgrade.ka;
  if (!upgrade.target) return config;
  config.capacity = upgrade.target->capacity;
  for (const std::string& feature : upgrade.target->add_features) config.features.push_back(feature);
  std::sort(config.features.begin(), config.features.end());
  config.features.erase(std::unique(config.features.begin(), config.features.end()), config.features.end());
  return config;
}

bool NeedsKaUpgrade(const UpgradeRecord& upgrade) {
  return upgrade.target &&
         (upgrade.target->capacity > upgrade.ka.capacity || !upgrade.target->add_features.empty());
}

KaUpgradeKeyRequest KaUpgradeFor(const UpgradeRecord& upgrade) {
  KaUpgradeKeyRequest request;
  request.key_number = upgrade.ka.key_number;
  if (upgrade.target && upgrade.target->capacity > upgrade.ka.capacity) request.capacity = upgrade.target->capacity;
  if (upgrade.target) request.add_features = upgrade.target->add_features;
  // One key per session, whatever happens to the calls: KA answers a
  // repeated key with its first answer.
  request.idempotency_key = absl::StrCat("upgrade:", upgrade.upgrade_id);
  return request;
}

}  // namespace lss
