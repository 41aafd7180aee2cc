// UpgradeWizard::Start: three KA calls one after the other (the key, its
// available upgrades, the catalogue), then the session is stored.
#include <memory>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status/error_details.h"
#include "server/licenses/ka_config.h"
#include "server/sync/ka_answer.h"
#include "server/upgrade/upgrade_wizard.h"

namespace lss {
namespace {

std::string NewUpgradeId() {
  thread_local absl::BitGen gen;
  return absl::StrFormat("upg-%016x", absl::Uniform<uint64_t>(gen));
}

absl::Status CheckStartable(const LicenseRecord& license, absl::Time now) {
  if (license.state != LicenseState::kActive) {
    const char* state = license.state == LicenseState::kExpired ? "EXPIRED" : "TERMINATED";
    return WithReason(absl::FailedPreconditionError(absl::StrCat("license ", license.license_id, " is ", state,
                                                                 ": only an ACTIVE license can be upgraded")),
                      kReasonLicenseNotActive);
  }
  if (license.order_placing) {
    return WithReason(absl::FailedPreconditionError(absl::StrCat("an upgrade order is being placed for license ",
                                                                 license.license_id, "; ListUpgrades shows it")),
                      kReasonOrderPlacing);
  }
  if (license.terminating_until && *license.terminating_until > now) {
    return WithReason(absl::FailedPreconditionError(absl::StrCat("license ", license.license_id,
                                                                 " is being terminated: it cannot be upgraded")),
                      kReasonLicenseTerminating);
  }
  return absl::OkStatus();
}

}  // namespace

class UpgradeWizard::Opening : public std::enable_shared_from_this<Opening> {
 public:
  Opening(UpgradeWizard& wizard, CallerIdentity caller, absl::AnyInvocable<void(absl::StatusOr<UpgradeRecord>) &&> done)
      : wizard_(wizard), caller_(std::move(caller)), done_(std::move(done)) {}

  void Begin(const LicenseRef& ref) {
    absl::StatusOr<LicenseRecord> license = ResolveLicense(wizard_.sessions_.licenses(), ref);
    if (!license.ok()) return Fail(license.status());
    if (absl::Status startable = CheckStartable(*license, wizard_.sessions_.clock().Now()); !startable.ok()) return Fail(startable);
    license_ = *std::move(license);
    wizard_.ka_.GetKeyInfo(KaLookupKey(license_), [self = shared_from_this()](absl::StatusOr<KaKey> key) mutable {
      self->OnKey(std::move(key));
    });
  }

 private:
  void OnKey(absl::StatusOr<KaKey> key) {
    absl::StatusOr<SyncResult> against_ka = ResultOfKaAnswer(license_, key);
    if (!against_ka.ok()) return Fail(against_ka.status());
    if (absl::Status usable = CheckUpgradable(*against_ka, license_.config.key_number); !usable.ok()) {
      return Fail(usable);
    }
    key_ = *std::move(key);
    sync_status_ = against_ka->status;
    wizard_.ka_.GetAvailableUpgrades(
        key_.key_number, [self = shared_from_this()](absl::StatusOr<KaUpgradeOptions> available) mutable {
          self->OnAvailable(std::move(available));
        });
  }

  void OnAvailable(absl::StatusOr<KaUpgradeOptions> available) {
    if (!available.ok()) return Fail(available.status());
    available_ = *std::move(available);
    wizard_.ka_.ListKeyTypes([self = shared_from_this()](absl::StatusOr<std::vector<KaKeyType>> types) mutable {
      self->wizard_.pool_.Run([self, types = std::move(types)]() mutable { self->Store(std::move(types)); });
    });
  }

  void Store(absl::StatusOr<std::vector<KaKeyType>> types) {
    if (!types.ok()) return Fail(types.status());
    UpgradeRecord upgrade;
    upgrade.upgrade_id = NewUpgradeId();
    upgrade.license_id = license_.license_id;
    upgrade.state = UpgradeState::kStarted;
    upgrade.billing = license_.config;
    upgrade.ka = ConfigFromKa(key_);
    upgrade.sync_status = sync_status_;
    upgrade.options = OptionsFor(available_, *types);
    upgrade.license_version = license_.version;
    upgrade.created_by = caller_.name;
    upgrade = wizard_.sessions_.Touched(std::move(upgrade));
    upgrade.create_time = upgrade.update_time;
    std::move(done_)(wizard_.sessions_.upgrades().Create(upgrade));
  }

  void Fail(absl::Status error) { std::move(done_)(std::move(error)); }

  UpgradeWizard& wizard_;
  const CallerIdentity caller_;
  absl::AnyInvocable<void(absl::StatusOr<UpgradeRecord>) &&> done_;
  // Written by one step at a time, each after the one before.
  LicenseRecord license_;
  KaKey key_;
  SyncStatus sync_status_ = SyncStatus::kNeverSynced;
  KaUpgradeOptions available_;
};

void UpgradeWizard::Start(const CallerIdentity& caller, const LicenseRef& license,
                          absl::AnyInvocable<void(absl::StatusOr<UpgradeRecord>) &&> done) {
  auto opening = std::make_shared<Opening>(*this, caller, std::move(done));
  pool_.Run([opening, license] { opening->Begin(license); });
}

}  // namespace lss
