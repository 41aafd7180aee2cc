#include "tests/reliability/ground_truth.h"

#include <algorithm>
#include <sstream>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace lss::reliability {
namespace {

using licensing::v1::License;
using licensing::v1::MismatchKind;

// Enough differences to see a pattern without drowning the log.
constexpr int kMaxListed = 20;

// Collects differences; the result fails when there is any.
class Differences {
 public:
  explicit Differences(std::string what) : what_(std::move(what)) {}
  void Add(const std::string& difference) {
    if (count_++ < kMaxListed) out_ << "\n  " << difference;
  }
  ::testing::AssertionResult Result() const {
    if (count_ == 0) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << what_ << ": " << count_ << " difference(s)" << out_.str()
                                         << (count_ > kMaxListed ? "\n  ..." : "");
  }

 private:
  const std::string what_;
  std::ostringstream out_;
  int count_ = 0;
};

MismatchKinds KindsOf(const License& license) {
  MismatchKinds kinds;
  for (const auto& mismatch : license.mismatches()) kinds.insert(mismatch.kind());
  return kinds;
}

std::string Describe(const License& license) {
  return absl::StrCat("license ", license.license_id(), " ", license.key_number(), " status ",
                      licensing::v1::SyncStatus_Name(license.sync_status()), " kinds ", KindsText(KindsOf(license)),
                      " (", license.sync_message(), ")");
}

}  // namespace

std::string KindsText(const MismatchKinds& kinds) {
  if (kinds.empty()) return "none";
  std::vector<std::string> names;
  for (MismatchKind kind : kinds) {
    names.push_back(std::string(absl::StripPrefix(licensing::v1::MismatchKind_Name(kind), "MISMATCH_KIND_")));
  }
  return absl::StrJoin(names, ",");
}

KeyNumberParts SplitKeyNumber(const std::string& key_number) {
  KeyNumberParts parts;
  const size_t dot = key_number.rfind('.');
  if (dot == std::string::npos || dot + 5 != key_number.size()) return parts;
  parts.base = key_number.substr(0, dot);
  if (!absl::SimpleAtoi(key_number.substr(dot + 1), &parts.revision)) parts.revision = -1;
  return parts;
}

GroundTruth::GroundTruth(const std::vector<License>& imported) {
  absl::MutexLock lock(&mu_);
  for (const License& license : imported) {
    LicenseTruth truth;
    const KeyNumberParts parts = SplitKeyNumber(license.key_number());
    truth.key_base = parts.base;
    truth.initial_revision = parts.revision;
    licenses_[license.license_id()] = truth;
  }
}

const GroundTruth::LicenseTruth* GroundTruth::Find(int64_t license_id) const {
  auto it = licenses_.find(license_id);
  return it == licenses_.end() ? nullptr : &it->second;
}

void GroundTruth::ChangedAtKa(int64_t license_id, const MismatchKinds& kinds, int revisions, bool deleted) {
  absl::MutexLock lock(&mu_);
  LicenseTruth& truth = licenses_[license_id];
  truth.drift.insert(kinds.begin(), kinds.end());
  truth.changes.insert(kinds.begin(), kinds.end());
  truth.test_revisions += revisions;
  truth.deleted = truth.deleted || deleted;
}

void GroundTruth::OrderCompleted(int64_t license_id, const std::string& upgrade_id, const std::string& order_key,
                                 const std::string& license_key, bool key_issued, int ka_calls) {
  absl::MutexLock lock(&mu_);
  LicenseTruth& truth = licenses_[license_id];
  truth.drift.clear();
  truth.keys_issued += key_issued ? 1 : 0;
  if (truth.last_order_key.empty() ||
      SplitKeyNumber(license_key).revision > SplitKeyNumber(truth.last_order_key).revision) {
    truth.last_order_key = license_key;
  }
  upgrade_key_calls_ += ka_calls;
  orders_[upgrade_id] = Order{license_id, order_key};
}

bool GroundTruth::Upgradable(int64_t license_id) const {
  absl::MutexLock lock(&mu_);
  const LicenseTruth* truth = Find(license_id);
  if (truth == nullptr) return false;
  for (MismatchKind kind : {licensing::v1::MISMATCH_KIND_TERMINATED, licensing::v1::MISMATCH_KIND_PROBLEM,
                            licensing::v1::MISMATCH_KIND_KEY_NOT_FOUND,
                            licensing::v1::MISMATCH_KIND_LICENSE_CLASS_CHANGED}) {
    if (truth->changes.count(kind)) return false;
  }
  return true;
}

int64_t GroundTruth::licenses() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int64_t>(licenses_.size());
}

MismatchKinds GroundTruth::Expected(int64_t license_id) const {
  absl::MutexLock lock(&mu_);
  const LicenseTruth* truth = Find(license_id);
  return truth == nullptr ? MismatchKinds{} : truth->drift;
}

int64_t GroundTruth::ExpectedNotInSync() const {
  absl::MutexLock lock(&mu_);
  return std::count_if(licenses_.begin(), licenses_.end(), [](const auto& l) { return !l.second.drift.empty(); });
}

int64_t GroundTruth::LicensesChangedAtKa() const {
  absl::MutexLock lock(&mu_);
  return std::count_if(licenses_.begin(), licenses_.end(), [](const auto& l) { return !l.second.changes.empty(); });
}

int64_t GroundTruth::ExpectedUpgradeKeyCalls() const {
  absl::MutexLock lock(&mu_);
  return upgrade_key_calls_;
}

int64_t GroundTruth::OrdersCompleted() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int64_t>(orders_.size());
}

::testing::AssertionResult GroundTruth::StatusesExact(const std::vector<License>& listed) const {
  absl::MutexLock lock(&mu_);
  Differences differences("after a clean sync, billing's statuses against the ground truth");
  std::set<int64_t> seen;
  for (const License& license : listed) {
    const LicenseTruth* truth = Find(license.license_id());
    if (truth == nullptr) {
      differences.Add(absl::StrCat("unexpected ", Describe(license)));
      continue;
    }
    if (!seen.insert(license.license_id()).second) differences.Add(absl::StrCat("listed twice: ", Describe(license)));
    const licensing::v1::SyncStatus wanted =
        truth->drift.empty() ? licensing::v1::SYNC_STATUS_IN_SYNC : licensing::v1::SYNC_STATUS_NOT_IN_SYNC;
    if (license.sync_status() != wanted || KindsOf(license) != truth->drift) {
      differences.Add(absl::StrCat(Describe(license), "; wanted ", licensing::v1::SyncStatus_Name(wanted),
                                   " kinds ", KindsText(truth->drift)));
    }
    if (!truth->last_order_key.empty() && license.key_number() != truth->last_order_key) {
      differences.Add(absl::StrCat(Describe(license), "; its last order left key ", truth->last_order_key));
    }
    if (!license.last_sync_error().empty()) {
      differences.Add(absl::StrCat(Describe(license), "; last_sync_error ", license.last_sync_error()));
    }
    if (license.order_placing()) differences.Add(absl::StrCat(Describe(license), "; still order_placing"));
  }
  for (const auto& [id, truth] : licenses_) {
    if (!seen.count(id)) differences.Add(absl::StrCat("license ", id, " (", truth.key_base, ") not listed"));
  }
  return differences.Result();
}

::testing::AssertionResult GroundTruth::StatusesPlausible(const std::vector<License>& listed) const {
  absl::MutexLock lock(&mu_);
  Differences differences("before the clean sync, billing's statuses against the ground truth");
  for (const License& license : listed) {
    const LicenseTruth* truth = Find(license.license_id());
    if (truth == nullptr) {
      differences.Add(absl::StrCat("unexpected ", Describe(license)));
      continue;
    }
    const bool in_sync = license.sync_status() == licensing::v1::SYNC_STATUS_IN_SYNC && KindsOf(license).empty();
    if (truth->drift.empty()) {
      if (!in_sync) differences.Add(absl::StrCat(Describe(license), "; wanted IN_SYNC (nothing left to differ)"));
    } else if (!in_sync && !(license.sync_status() == licensing::v1::SYNC_STATUS_NOT_IN_SYNC &&
                             KindsOf(license) == truth->drift)) {
      differences.Add(absl::StrCat(Describe(license), "; wanted IN_SYNC (stale) or NOT_IN_SYNC with ",
                                   KindsText(truth->drift)));
    }
    if (!truth->last_order_key.empty() && license.key_number() != truth->last_order_key) {
      differences.Add(absl::StrCat(Describe(license), "; its last order left key ", truth->last_order_key));
    }
    if (license.order_placing()) differences.Add(absl::StrCat(Describe(license), "; still order_placing"));
  }
  return differences.Result();
}

::testing::AssertionResult GroundTruth::JobCoveredEveryLicense(const licensing::v1::SyncProgress& p) const {
  const int64_t n = licenses();
  if (p.state() == licensing::v1::SYNC_JOB_STATE_SUCCEEDED && p.total() == n && p.processed() == n &&
      p.in_sync() + p.not_in_sync() + p.errors() + p.skipped() == p.processed()) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "job " << p.job_id() << " " << licensing::v1::SyncJobState_Name(p.state())
                                       << ": total " << p.total() << " processed " << p.processed() << " in_sync "
                                       << p.in_sync() << " not_in_sync " << p.not_in_sync() << " errors "
                                       << p.errors() << " skipped " << p.skipped() << "; wanted SUCCEEDED with "
                                       << n << " processed of " << n << ", the counts adding up";
}

::testing::AssertionResult GroundTruth::CleanJobMatches(const licensing::v1::SyncProgress& p) const {
  ::testing::AssertionResult covered = JobCoveredEveryLicense(p);
  if (!covered) return covered;
  const int64_t not_in_sync = ExpectedNotInSync();
  if (p.errors() == 0 && p.skipped() == 0 && p.not_in_sync() == not_in_sync &&
      p.in_sync() == licenses() - not_in_sync) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "job " << p.job_id() << ": in_sync " << p.in_sync() << " not_in_sync "
                                       << p.not_in_sync() << " errors " << p.errors() << " skipped " << p.skipped()
                                       << "; wanted not_in_sync " << not_in_sync << ", in_sync "
                                       << licenses() - not_in_sync << ", no error, no skip";
}

::testing::AssertionResult GroundTruth::KaKeysMatch(const std::vector<keyadmin::v1::Key>& ka_keys) const {
  absl::MutexLock lock(&mu_);
  Differences differences("KA's keys against the changes and orders made");
  std::map<std::string, const keyadmin::v1::Key*> by_base;
  for (const keyadmin::v1::Key& key : ka_keys) {
    if (key.kind() != keyadmin::v1::KEY_KIND_MAIN) continue;
    const KeyNumberParts parts = SplitKeyNumber(key.key_number());
    if (!by_base.emplace(parts.base, &key).second) differences.Add("KA lists " + parts.base + " twice");
  }
  for (const auto& [id, truth] : licenses_) {
    auto it = by_base.find(truth.key_base);
    if (truth.deleted) {
      if (it != by_base.end()) differences.Add(absl::StrCat("license ", id, ": deleted key ", truth.key_base, " at KA"));
      continue;
    }
    if (it == by_base.end()) {
      differences.Add(absl::StrCat("license ", id, ": key ", truth.key_base, " missing at KA"));
      continue;
    }
    const std::string& key_number = it->second->key_number();
    const int wanted = truth.initial_revision + truth.test_revisions + truth.keys_issued;
    if (SplitKeyNumber(key_number).revision != wanted) {
      differences.Add(absl::StrCat("license ", id, ": KA holds ", key_number, ", wanted revision ", wanted, " (",
                                   truth.initial_revision, " imported + ", truth.test_revisions,
                                   " regenerated + ", truth.keys_issued, " issued by orders)"));
    }
    if (!truth.last_order_key.empty() && key_number != truth.last_order_key) {
      differences.Add(absl::StrCat("license ", id, ": KA holds ", key_number, ", its last order reported ",
                                   truth.last_order_key));
    }
  }
  return differences.Result();
}

::testing::AssertionResult GroundTruth::UpgradeKeyCallsMatch(int64_t counted) const {
  const int64_t wanted = ExpectedUpgradeKeyCalls();
  if (counted == wanted) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "ka-mock counted " << counted << " UpgradeKey calls; the "
                                       << OrdersCompleted() << " completed orders account for " << wanted;
}

::testing::AssertionResult GroundTruth::OrdersMatch(const std::vector<licensing::v1::Upgrade>& sessions) const {
  absl::MutexLock lock(&mu_);
  Differences differences("upgrade sessions against the orders completed");
  std::map<std::string, int> completed;
  for (const licensing::v1::Upgrade& session : sessions) {
    if (session.state() == licensing::v1::UPGRADE_STATE_PLACING) {
      differences.Add(absl::StrCat("session ", session.upgrade_id(), " of license ", session.license_id(),
                                   " left PLACING"));
    }
    if (session.state() != licensing::v1::UPGRADE_STATE_COMPLETED) continue;
    ++completed[session.upgrade_id()];
    auto order = orders_.find(session.upgrade_id());
    if (order == orders_.end()) {
      differences.Add(absl::StrCat("session ", session.upgrade_id(), " of license ", session.license_id(),
                                   " COMPLETED, but no caller saw its order complete"));
    } else if (order->second.license_id != session.license_id() ||
               order->second.order_key != session.order().new_key_number()) {
      differences.Add(absl::StrCat("session ", session.upgrade_id(), ": license ", session.license_id(), " key ",
                                   session.order().new_key_number(), "; the caller saw license ",
                                   order->second.license_id, " key ", order->second.order_key));
    }
  }
  for (const auto& [upgrade_id, order] : orders_) {
    auto it = completed.find(upgrade_id);
    if (it == completed.end()) {
      differences.Add(absl::StrCat("order ", upgrade_id, " of license ", order.license_id, " lost: not COMPLETED"));
    } else if (it->second != 1) {
      differences.Add(absl::StrCat("order ", upgrade_id, " listed ", it->second, " times"));
    }
  }
  return differences.Result();
}

}  // namespace lss::reliability
