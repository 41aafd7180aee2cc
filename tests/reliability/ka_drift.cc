#include "tests/reliability/ka_drift.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace lss::reliability {
namespace {

using keyadmin::v1::ChangeKeyRequest;
using keyadmin::v1::KeyType;
using licensing::v1::License;

constexpr int64_t kThirtyDays = 30 * 24 * 3600;

struct PlannedChange {
  ChangeKeyRequest request;
  MismatchKinds kinds;
  int revisions = 0;
  bool deleted = false;
};

bool HasFeature(const License& license, const std::string& api_name) {
  return std::find(license.features().begin(), license.features().end(), api_name) != license.features().end();
}

// The class's first capacity step above the license's.
std::optional<int64_t> StepAbove(const License& license, std::map<std::string, KeyType>::const_iterator type,
                                 const std::map<std::string, KeyType>& types) {
  if (type == types.end()) return std::nullopt;
  for (int64_t step : type->second.capacity_steps()) {
    if (step > license.capacity()) return step;
  }
  return std::nullopt;
}

// The change of `kind` for `license`, or nullopt when it does not fit.
std::optional<PlannedChange> Plan(DriftKind kind, const License& license,
                                  const std::map<std::string, KeyType>& types) {
  PlannedChange change;
  change.request.set_key_number(license.key_number());
  auto type = types.find(license.license_class());
  switch (kind) {
    case DriftKind::kRegenerate:
      change.request.set_regenerate(true);
      change.kinds = {licensing::v1::MISMATCH_KIND_KEY_CHANGED};
      change.revisions = 1;
      return change;
    case DriftKind::kCapacity: {
      // A step of the class's catalogue, so that an upgrade adopting it can
      // be priced (the price catalogue lists steps only).
      const std::optional<int64_t> step = StepAbove(license, type, types);
      if (!step) return std::nullopt;
      change.request.set_capacity(*step);
      change.kinds = {licensing::v1::MISMATCH_KIND_CAPACITY_CHANGED};
      return change;
    }
    case DriftKind::kAddFeature:
      if (type == types.end()) return std::nullopt;
      for (const auto& feature : type->second.features()) {
        if (HasFeature(license, feature.api_name())) continue;
        change.request.add_add_features(feature.api_name());
        change.kinds = {licensing::v1::MISMATCH_KIND_FEATURES_ADDED};
        return change;
      }
      return std::nullopt;
    case DriftKind::kRemoveFeature:
      if (license.features().empty()) return std::nullopt;
      change.request.add_remove_features(license.features(0));
      change.kinds = {licensing::v1::MISMATCH_KIND_FEATURES_REMOVED};
      return change;
    case DriftKind::kExpiration:
      change.request.mutable_expires_at()->set_seconds(license.expire_time().seconds() + kThirtyDays);
      change.kinds = {licensing::v1::MISMATCH_KIND_EXPIRATION_CHANGED};
      return change;
    case DriftKind::kAttachAdditional:
      for (const auto& [name, additional] : types) {
        if (additional.kind() != keyadmin::v1::KEY_KIND_ADDITIONAL) continue;
        change.request.set_attach_additional_key_type(name);
        change.kinds = {licensing::v1::MISMATCH_KIND_ADDITIONAL_KEY_ATTACHED};
        return change;
      }
      return std::nullopt;
    case DriftKind::kDetachAdditional:
      if (license.additional_keys().empty()) return std::nullopt;
      change.request.set_detach_additional_key(license.additional_keys(0).key_number());
      change.kinds = {licensing::v1::MISMATCH_KIND_ADDITIONAL_KEY_DETACHED};
      return change;
    case DriftKind::kLicenseClass:
      if (type == types.end()) return std::nullopt;
      for (const auto& [name, other] : types) {
        if (name == license.license_class() || other.kind() != type->second.kind()) continue;
        change.request.set_key_type(name);
        change.kinds = {licensing::v1::MISMATCH_KIND_LICENSE_CLASS_CHANGED};
        return change;
      }
      return std::nullopt;
    case DriftKind::kTerminate:
      change.request.set_terminate(true);
      change.kinds = {licensing::v1::MISMATCH_KIND_TERMINATED};
      return change;
    case DriftKind::kProblem:
      change.request.set_mark_problem(true);
      change.kinds = {licensing::v1::MISMATCH_KIND_PROBLEM};
      return change;
    case DriftKind::kDelete:
      change.request.set_delete_(true);
      change.kinds = {licensing::v1::MISMATCH_KIND_KEY_NOT_FOUND};
      change.deleted = true;
      return change;
    case DriftKind::kRegenerateAndCapacity: {
      const std::optional<int64_t> step = StepAbove(license, type, types);
      if (!step) return std::nullopt;
      change.request.set_regenerate(true);
      change.request.set_capacity(*step);
      change.kinds = {licensing::v1::MISMATCH_KIND_KEY_CHANGED, licensing::v1::MISMATCH_KIND_CAPACITY_CHANGED};
      change.revisions = 1;
      return change;
    }
  }
  return std::nullopt;
}

}  // namespace

const std::vector<DriftKind>& AllDriftKinds() {
  static const auto* const kinds = new std::vector<DriftKind>{
      DriftKind::kRegenerate,       DriftKind::kCapacity,         DriftKind::kAddFeature,
      DriftKind::kRemoveFeature,    DriftKind::kExpiration,       DriftKind::kAttachAdditional,
      DriftKind::kDetachAdditional, DriftKind::kLicenseClass,     DriftKind::kTerminate,
      DriftKind::kProblem,          DriftKind::kDelete,           DriftKind::kRegenerateAndCapacity};
  return *kinds;
}

const std::vector<DriftKind>& AdoptableDriftKinds() {
  static const auto* const kinds = new std::vector<DriftKind>{
      DriftKind::kRegenerate,       DriftKind::kCapacity,         DriftKind::kAddFeature,
      DriftKind::kRemoveFeature,    DriftKind::kExpiration,       DriftKind::kAttachAdditional,
      DriftKind::kDetachAdditional, DriftKind::kRegenerateAndCapacity};
  return *kinds;
}

std::string DriftKindName(DriftKind kind) {
  switch (kind) {
    case DriftKind::kRegenerate: return "regenerated";
    case DriftKind::kCapacity: return "capacity";
    case DriftKind::kAddFeature: return "feature added";
    case DriftKind::kRemoveFeature: return "feature removed";
    case DriftKind::kExpiration: return "expiration";
    case DriftKind::kAttachAdditional: return "additional key attached";
    case DriftKind::kDetachAdditional: return "additional key detached";
    case DriftKind::kLicenseClass: return "license class";
    case DriftKind::kTerminate: return "terminated";
    case DriftKind::kProblem: return "problem";
    case DriftKind::kDelete: return "deleted";
    case DriftKind::kRegenerateAndCapacity: return "regenerated + capacity";
  }
  return "unknown";
}

std::string DriftText(const DriftSummary& summary) {
  std::vector<std::string> parts;
  for (const auto& [kind, count] : summary.by_kind) parts.push_back(absl::StrCat(kind, " ", count));
  return absl::StrCat(summary.licenses, " licenses (", absl::StrJoin(parts, ", "), ")");
}

absl::StatusOr<DriftSummary> DriftEvery(KaMockClient& ka, const std::vector<License>& licenses, int every,
                                        const std::vector<DriftKind>& kinds, GroundTruth& truth) {
  absl::StatusOr<std::map<std::string, KeyType>> types = ka.KeyTypes();
  if (!types.ok()) return types.status();
  DriftSummary summary;
  size_t next_kind = 0;
  const size_t stride = static_cast<size_t>(std::max(every, 1));
  for (size_t i = 0; i < licenses.size(); i += stride) {
    DriftKind kind = kinds[next_kind++ % kinds.size()];
    // The first license of this stride the kind fits (no feature left to
    // add, no additional key to detach: the next one), else a regeneration,
    // which fits every key.
    const License* target = nullptr;
    std::optional<PlannedChange> change;
    for (size_t j = i; j < std::min(i + stride, licenses.size()) && !change; ++j) {
      if (!truth.Expected(licenses[j].license_id()).empty()) continue;
      change = Plan(kind, licenses[j], *types);
      target = &licenses[j];
    }
    if (!change) {
      if (!truth.Expected(licenses[i].license_id()).empty()) continue;
      kind = DriftKind::kRegenerate;
      target = &licenses[i];
      change = Plan(kind, *target, *types);
    }
    absl::StatusOr<keyadmin::v1::ChangeKeyResponse> changed = ka.ChangeKey(change->request);
    if (!changed.ok()) {
      return absl::InternalError(absl::StrCat("drift ", DriftKindName(kind), " of license ", target->license_id(),
                                              ": ", changed.status().message()));
    }
    truth.ChangedAtKa(target->license_id(), change->kinds, change->revisions, change->deleted);
    ++summary.licenses;
    ++summary.by_kind[DriftKindName(kind)];
  }
  return summary;
}

}  // namespace lss::reliability
