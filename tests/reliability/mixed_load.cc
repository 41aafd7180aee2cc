#include "tests/reliability/mixed_load.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/reliability/rpc_calls.h"
#include "tests/reliability/wizard_steps.h"

namespace lss::reliability {
namespace {

using licensing::v1::License;
using licensing::v1::LicenseService;

// Callers meet on a window this wide, moving on every second so that its
// licenses do not run out of capacity steps and features to add.
constexpr size_t kHotWindow = 16;
constexpr int kMaxSurpriseExamples = 10;

MismatchKinds KindsOf(const License& license) {
  MismatchKinds kinds;
  for (const auto& mismatch : license.mismatches()) kinds.insert(mismatch.kind());
  return kinds;
}

// The status a license that no upgrade touched must have after a sync.
bool MatchesChanges(const License& license, const MismatchKinds& expected) {
  const licensing::v1::SyncStatus wanted =
      expected.empty() ? licensing::v1::SYNC_STATUS_IN_SYNC : licensing::v1::SYNC_STATUS_NOT_IN_SYNC;
  return license.sync_status() == wanted && KindsOf(license) == expected;
}

}  // namespace

MixedLoad::MixedLoad(std::vector<std::shared_ptr<LicenseService::Stub>> stubs, const std::vector<License>& licenses,
                     GroundTruth& truth, MixedLoadOptions options)
    : stubs_(std::move(stubs)),
      licenses_(licenses),
      truth_(truth),
      options_(options),
      touched_(new std::atomic<bool>[licenses.size()]) {
  for (size_t i = 0; i < licenses_.size(); ++i) touched_[i] = false;
}

MixedLoad::~MixedLoad() { Wait(); }

void MixedLoad::Start() {
  start_ = absl::Now();
  end_ = start_ + options_.duration;
  for (int i = 0; i < options_.clients; ++i) threads_.emplace_back([this, i] { Client(i); });
}

void MixedLoad::Wait() {
  if (threads_.empty()) return;
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
  elapsed_ = absl::Now() - start_;
}

std::vector<std::string> MixedLoad::surprise_examples() const {
  absl::MutexLock lock(&mu_);
  return surprise_examples_;
}

void MixedLoad::Surprise(const std::string& what) {
  ++surprises_;
  absl::MutexLock lock(&mu_);
  if (surprise_examples_.size() < kMaxSurpriseExamples) surprise_examples_.push_back(what);
}

size_t MixedLoad::Pick(std::mt19937_64& rng) const {
  const size_t n = licenses_.size();
  if (rng() % 2 == 0) return rng() % n;
  const size_t window = static_cast<size_t>(absl::ToInt64Seconds(absl::Now() - start_)) * kHotWindow;
  return (window + rng() % kHotWindow) % n;
}

void MixedLoad::Client(int index) {
  std::mt19937_64 rng(options_.seed * 1000003 + static_cast<uint64_t>(index));
  const std::shared_ptr<LicenseService::Stub>& stub = stubs_[index % stubs_.size()];
  for (int64_t round = 0; absl::Now() < end_; ++round) {
    const size_t i = Pick(rng);
    const int dice = static_cast<int>(rng() % 100);
    if (dice < 35) {
      GetOne(*stub, i);
    } else if (dice < 50) {
      ListSome(*stub, rng);
    } else if (dice < 80) {
      SyncOne(*stub, i);
    } else if (truth_.Upgradable(licenses_[i].license_id())) {
      UpgradeOne(stub, i, rng, absl::StrCat("load-", index, "-", round));
    } else {
      GetOne(*stub, i);
    }
  }
}

void MixedLoad::GetOne(LicenseService::Stub& stub, size_t i) {
  licensing::v1::GetLicenseRequest request;
  request.set_license_id(licenses_[i].license_id());
  licensing::v1::GetLicenseResponse response;
  grpc::Status status = stub.GetLicense(Deadline().get(), request, &response);
  tally_.Count("GetLicense", status);
}

void MixedLoad::ListSome(LicenseService::Stub& stub, std::mt19937_64& rng) {
  licensing::v1::ListLicensesRequest request;
  request.set_page_size(50);
  switch (rng() % 3) {
    case 0: break;
    case 1: request.mutable_filter()->set_sync_status(licensing::v1::SYNC_STATUS_NOT_IN_SYNC); break;
    default: request.mutable_filter()->set_license_class(licenses_[rng() % licenses_.size()].license_class());
  }
  licensing::v1::ListLicensesResponse response;
  grpc::Status status = stub.ListLicenses(Deadline().get(), request, &response);
  tally_.Count("ListLicenses", status);
}

void MixedLoad::SyncOne(LicenseService::Stub& stub, size_t i) {
  const License& license = licenses_[i];
  licensing::v1::SyncLicenseRequest request;
  request.set_license_id(license.license_id());
  licensing::v1::SyncLicenseResponse response;
  grpc::Status status = stub.SyncLicense(Deadline().get(), request, &response);
  tally_.Count("SyncLicense", status);
  // Read after the answer: still untouched means no upgrade had started, so
  // billing's side is as imported and only the test's changes at KA differ.
  if (status.ok() && !touched_[i].load()) {
    const MismatchKinds expected = truth_.Expected(license.license_id());
    if (!MatchesChanges(response.license(), expected)) {
      Surprise(absl::StrCat("SyncLicense ", license.license_id(), " answered ",
                            licensing::v1::SyncStatus_Name(response.license().sync_status()), " ",
                            KindsText(KindsOf(response.license())), "; the changes made at KA: ",
                            KindsText(expected)));
    }
  }
}

void MixedLoad::UpgradeOne(const std::shared_ptr<LicenseService::Stub>& stub, size_t i, std::mt19937_64& rng,
                           const std::string& request_id) {
  const int64_t license_id = licenses_[i].license_id();
  touched_[i] = true;
  ++wizard_runs_;
  WizardSteps steps(stub, &tally_);
  licensing::v1::Upgrade started;
  if (!steps.Start(license_id, &started).ok()) return;
  const std::optional<UpgradeTarget> target = ChooseTarget(started, /*adopt_only=*/rng() % 2 == 0);
  if (!target) {
    if (steps.Cancel(started.upgrade_id()).ok()) ++sessions_cancelled_;
    return;
  }
  if (!steps.Configure(started.upgrade_id(), *target, nullptr).ok()) return;
  if (!steps.Price(started.upgrade_id(), nullptr).ok()) return;
  licensing::v1::PlaceUpgradeOrderResponse placed;
  if (!steps.Place(started.upgrade_id(), request_id, &placed).ok()) return;

  const licensing::v1::UpgradeOrder& order = placed.upgrade().order();
  const std::string what = absl::StrCat("order ", started.upgrade_id(), " of license ", license_id, ": ");
  if (placed.upgrade().state() != licensing::v1::UPGRADE_STATE_COMPLETED) {
    Surprise(what + "answered OK in state " + licensing::v1::UpgradeState_Name(placed.upgrade().state()));
    return;
  }
  if (order.key_administrator_called() != target->calls_ka) {
    Surprise(absl::StrCat(what, "key_administrator_called ", order.key_administrator_called(), ", wanted ",
                          target->calls_ka));
  }
  if (!MatchesChanges(placed.license(), {}) || order.mismatches_size() != 0) {
    Surprise(absl::StrCat(what, "left the license ", licensing::v1::SyncStatus_Name(placed.license().sync_status()),
                          " ", KindsText(KindsOf(placed.license()))));
  }
  if (target->calls_ka && SplitKeyNumber(placed.license().key_number()).revision !=
                              SplitKeyNumber(started.ka_configuration().key_number()).revision + 1) {
    Surprise(absl::StrCat(what, "new key ", placed.license().key_number(), " is not one revision above KA's ",
                          started.ka_configuration().key_number()));
  }
  truth_.OrderCompleted(license_id, started.upgrade_id(), order.new_key_number(), placed.license().key_number(),
                        target->calls_ka, target->calls_ka ? 1 : 0);
  ++orders_completed_;
  if (!target->calls_ka) ++adoptions_;
}

}  // namespace lss::reliability
