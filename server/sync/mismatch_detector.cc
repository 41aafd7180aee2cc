#include "server/sync/mismatch_detector.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"

namespace lss {
namespace {

// KA speaks in whole seconds; billing stores microseconds. Compare and show
// dates at KA's precision so that a round trip is never a "change".
absl::Time ToSeconds(absl::Time t) { return absl::FromUnixSeconds(absl::ToUnixSeconds(t)); }
std::string FormatDate(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

std::string StateName(LicenseState state) {
  switch (state) {
    case LicenseState::kActive: return "active";
    case LicenseState::kExpired: return "expired";
    case LicenseState::kTerminated: return "terminated";
  }
  return "unknown";
}

// Items of `a` not in `b`; both sorted.
std::vector<std::string> Difference(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

std::vector<std::string> KaFeatureNames(const KaKey& ka) {
  std::vector<std::string> names;
  names.reserve(ka.features.size());
  for (const KaFeature& f : ka.features) names.push_back(f.api_name);
  std::sort(names.begin(), names.end());
  return names;
}

std::string DescribeAdditionalKey(const std::string& key_number, const std::string& key_type) {
  return absl::StrCat(key_number, " (", key_type, ")");
}

std::vector<std::string> DescribeAdditionalKeys(const std::vector<AdditionalKey>& keys) {
  std::vector<std::string> out;
  for (const AdditionalKey& k : keys) out.push_back(DescribeAdditionalKey(k.key_number, k.key_type));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> DescribeAdditionalKeys(const std::vector<KaAdditionalKey>& keys) {
  std::vector<std::string> out;
  for (const KaAdditionalKey& k : keys) out.push_back(DescribeAdditionalKey(k.key_number, k.key_type));
  std::sort(out.begin(), out.end());
  return out;
}

std::string Clause(const Mismatch& m) {
  switch (m.kind) {
    case MismatchKind::kKeyChanged:
      return absl::StrCat("key changed (billing ", m.billing_value, ", KA ", m.ka_value, ")");
    case MismatchKind::kLicenseClassChanged:
      return absl::StrCat("license class changed (billing ", m.billing_value, ", KA ", m.ka_value, ")");
    case MismatchKind::kCapacityChanged:
      return absl::StrCat("capacity changed (billing ", m.billing_value, ", KA ", m.ka_value, ")");
    case MismatchKind::kFeaturesAdded:
      return absl::StrCat("features added at KA: ", m.ka_value);
    case MismatchKind::kFeaturesRemoved:
      return absl::StrCat("features removed at KA: ", m.billing_value);
    case MismatchKind::kExpirationChanged:
      return absl::StrCat("expiration changed (billing ", m.billing_value, ", KA ", m.ka_value, ")");
    case MismatchKind::kAdditionalKeyAttached:
      return absl::StrCat("additional key attached at KA: ", m.ka_value);
    case MismatchKind::kAdditionalKeyDetached:
      return absl::StrCat("additional key detached at KA: ", m.billing_value);
    case MismatchKind::kTerminated:
      return "key terminated at KA";
    case MismatchKind::kProblem:
      return "key marked as a problem at KA";
    case MismatchKind::kKeyNotFound:
      return absl::StrCat("key ", m.billing_value, " unknown to KA");
  }
  return "unknown mismatch";
}

SyncResult ResultOf(std::vector<Mismatch> mismatches) {
  SyncResult result;
  result.status = mismatches.empty() ? SyncStatus::kInSync : SyncStatus::kNotInSync;
  result.message = SummarizeMismatches(mismatches);
  result.mismatches = std::move(mismatches);
  return result;
}

}  // namespace

SyncResult CompareWithKa(const LicenseConfig& billing, LicenseState billing_state, const KaKey& ka) {
  std::vector<Mismatch> found;
  if (billing.key_number != ka.key_number) {
    found.push_back({MismatchKind::kKeyChanged, billing.key_number, ka.key_number});
  }
  if (billing.license_class != ka.key_type) {
    found.push_back({MismatchKind::kLicenseClassChanged, billing.license_class, ka.key_type});
  }
  if (billing.capacity != ka.capacity) {
    found.push_back({MismatchKind::kCapacityChanged, absl::StrCat(billing.capacity), absl::StrCat(ka.capacity)});
  }
  const std::vector<std::string> ka_features = KaFeatureNames(ka);
  if (auto added = Difference(ka_features, billing.features); !added.empty()) {
    found.push_back({MismatchKind::kFeaturesAdded, "", absl::StrJoin(added, ",")});
  }
  if (auto removed = Difference(billing.features, ka_features); !removed.empty()) {
    found.push_back({MismatchKind::kFeaturesRemoved, absl::StrJoin(removed, ","), ""});
  }
  if (ToSeconds(billing.expire_time) != ToSeconds(ka.expire_time)) {
    found.push_back({MismatchKind::kExpirationChanged, FormatDate(billing.expire_time),
                     FormatDate(ka.expire_time)});
  }
  const std::vector<std::string> billing_keys = DescribeAdditionalKeys(billing.additional_keys);
  const std::vector<std::string> ka_keys = DescribeAdditionalKeys(ka.additional_keys);
  if (auto attached = Difference(ka_keys, billing_keys); !attached.empty()) {
    found.push_back({MismatchKind::kAdditionalKeyAttached, "", absl::StrJoin(attached, ",")});
  }
  if (auto detached = Difference(billing_keys, ka_keys); !detached.empty()) {
    found.push_back({MismatchKind::kAdditionalKeyDetached, absl::StrJoin(detached, ","), ""});
  }
  if (ka.terminated && billing_state != LicenseState::kTerminated) {
    found.push_back({MismatchKind::kTerminated, StateName(billing_state), "terminated"});
  }
  if (ka.problem) {
    found.push_back({MismatchKind::kProblem, "ok", "problem"});
  }
  return ResultOf(std::move(found));
}

SyncResult KeyNotFoundAtKa(const LicenseConfig& billing) {
  return ResultOf({{MismatchKind::kKeyNotFound, billing.key_number, ""}});
}

SyncResult KeyProblemAtKa(const LicenseConfig&) {
  return ResultOf({{MismatchKind::kProblem, "ok", "problem"}});
}

SyncResult KeyTerminatedAtKa(const LicenseConfig&, LicenseState billing_state) {
  if (billing_state == LicenseState::kTerminated) return ResultOf({});
  return ResultOf({{MismatchKind::kTerminated, StateName(billing_state), "terminated"}});
}

std::string SummarizeMismatches(const std::vector<Mismatch>& mismatches) {
  if (mismatches.empty()) return "In Sync";
  std::vector<std::string> clauses;
  clauses.reserve(mismatches.size());
  for (const Mismatch& m : mismatches) clauses.push_back(Clause(m));
  return absl::StrCat("Not In Sync: ", absl::StrJoin(clauses, "; "));
}

}  // namespace lss
