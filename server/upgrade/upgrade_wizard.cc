#include "server/upgrade/upgrade_wizard.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"
#include "server/paging/paging.h"
#include "server/upgrade/upgrade_pricing.h"

namespace lss {
namespace {

// Binds page tokens to the listing's filter.
std::string Fingerprint(const UpgradeFilter& filter) {
  return absl::StrCat("upgrades;state=", filter.state ? static_cast<int>(*filter.state) : 0,
                      ";license=", filter.license_id);
}

}  // namespace

absl::StatusOr<UpgradeRecord> UpgradeWizard::Configure(absl::string_view upgrade_id, const UpgradeRequest& request) {
  if (absl::Status valid = ValidateUpgradeId(upgrade_id); !valid.ok()) return valid;
  if (absl::Status limits = CheckUpgradeRequestLimits(request); !limits.ok()) return limits;
  absl::StatusOr<UpgradeRecord> upgrade = sessions_.LoadForStep(upgrade_id, UpgradeStep::kConfigure);
  if (!upgrade.ok()) return upgrade.status();
  absl::StatusOr<UpgradeTarget> target = ValidateTarget(*upgrade, request);
  if (!target.ok()) return target.status();
  UpgradeRecord next = sessions_.Touched(*std::move(upgrade));
  next.state = UpgradeState::kConfigured;
  next.target = *std::move(target);
  // A price belongs to the configuration it was set up for.
  next.price.reset();
  return sessions_.upgrades().Update(next);
}

absl::StatusOr<UpgradeRecord> UpgradeWizard::Price(absl::string_view upgrade_id) {
  absl::StatusOr<UpgradeRecord> upgrade = sessions_.LoadForStep(upgrade_id, UpgradeStep::kPrice);
  if (!upgrade.ok()) return upgrade.status();
  if (catalogue_ == nullptr) {
    return WithReason(absl::FailedPreconditionError(
                          "no price catalogue is configured: start license-server with --price_catalogue FILE"),
                      kReasonPriceCatalogueMissing);
  }
  PricingRequest pricing;
  pricing.billing = upgrade->billing;
  pricing.target = TargetConfig(*upgrade);
  pricing.capacity_unit = upgrade->options.capacity_unit;
  pricing.charge_fee = NeedsKaUpgrade(*upgrade);
  pricing.now = sessions_.clock().Now();
  absl::StatusOr<UpgradePrice> price = PriceUpgrade(*catalogue_, pricing);
  if (!price.ok()) return price.status();
  UpgradeRecord next = sessions_.Touched(*std::move(upgrade));
  next.state = UpgradeState::kPriced;
  next.price = *std::move(price);
  return sessions_.upgrades().Update(next);
}

absl::StatusOr<UpgradeRecord> UpgradeWizard::Get(absl::string_view upgrade_id) { return sessions_.Load(upgrade_id); }

absl::StatusOr<Page<UpgradeRecord>> UpgradeWizard::List(const UpgradeFilter& filter, int32_t page_size,
                                                        absl::string_view page_token) {
  if (filter.license_id < 0) return InvalidArgumentError("license_id", "must not be negative");
  absl::StatusOr<int> size = NormalizePageSize(page_size);
  if (!size.ok()) return size.status();
  const std::string fingerprint = Fingerprint(filter);
  absl::StatusOr<int64_t> before = DecodePageToken(page_token, fingerprint);
  if (!before.ok()) return before.status();
  // Sessions whose TTL ran out untouched are EXPIRED before they are listed,
  // so that the state filter tells the truth.
  if (absl::StatusOr<int64_t> expired = sessions_.upgrades().ExpireDue(sessions_.clock().Now()); !expired.ok()) {
    return expired.status();
  }
  absl::StatusOr<std::vector<UpgradeRecord>> rows = sessions_.upgrades().List(filter, *before, *size + 1);
  if (!rows.ok()) return rows.status();
  Page<UpgradeRecord> page;
  if (static_cast<int>(rows->size()) > *size) {
    rows->resize(static_cast<size_t>(*size));
    page.next_page_token = EncodePageToken(rows->back().seq, fingerprint);
  }
  page.items = *std::move(rows);
  return page;
}

absl::StatusOr<UpgradeRecord> UpgradeWizard::Cancel(absl::string_view upgrade_id) {
  absl::StatusOr<UpgradeRecord> upgrade = sessions_.Load(upgrade_id);
  if (!upgrade.ok()) return upgrade.status();
  if (upgrade->state == UpgradeState::kCancelled) return upgrade;
  if (absl::Status allowed = CheckStep(upgrade->state, UpgradeStep::kCancel); !allowed.ok()) return allowed;
  UpgradeRecord next = *std::move(upgrade);
  next.state = UpgradeState::kCancelled;
  next.update_time = sessions_.clock().Now();
  return sessions_.upgrades().Update(next);
}

}  // namespace lss
