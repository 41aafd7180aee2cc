#include "server/upgrade/upgrade_steps.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"
#include "storage/license_repository.h"

namespace lss {
namespace {

absl::Status Refusal(absl::string_view reason, UpgradeState state, absl::string_view expected,
                     absl::string_view why) {
  absl::Status status = WithReason(absl::FailedPreconditionError(why), reason);
  status = WithMetadata(status, kStateMetadata, UpgradeStateName(state));
  return WithMetadata(status, kExpectedStepMetadata, expected);
}

// What a session in `state` waits for next.
absl::string_view NextStep(UpgradeState state) {
  switch (state) {
    case UpgradeState::kStarted:
      return UpgradeStepName(UpgradeStep::kConfigure);
    case UpgradeState::kConfigured:
      return UpgradeStepName(UpgradeStep::kPrice);
    case UpgradeState::kPriced:
      return UpgradeStepName(UpgradeStep::kPlace);
    case UpgradeState::kPlacing:
      return "GetUpgrade";
    case UpgradeState::kCompleted:
    case UpgradeState::kCancelled:
    case UpgradeState::kExpired:
    case UpgradeState::kFailed:
      break;
  }
  return "StartUpgrade";
}

bool Allowed(UpgradeState state, UpgradeStep step) {
  switch (step) {
    case UpgradeStep::kConfigure:
    case UpgradeStep::kCancel:
      return IsUnfinished(state);
    case UpgradeStep::kPrice:
      return state == UpgradeState::kConfigured || state == UpgradeState::kPriced;
    case UpgradeStep::kPlace:
      return state == UpgradeState::kPriced || state == UpgradeState::kPlacing ||
             state == UpgradeState::kCompleted;
  }
  return false;
}

}  // namespace

absl::string_view UpgradeStateName(UpgradeState state) {
  switch (state) {
    case UpgradeState::kStarted:
      return "STARTED";
    case UpgradeState::kConfigured:
      return "CONFIGURED";
    case UpgradeState::kPriced:
      return "PRICED";
    case UpgradeState::kPlacing:
      return "PLACING";
    case UpgradeState::kCompleted:
      return "COMPLETED";
    case UpgradeState::kCancelled:
      return "CANCELLED";
    case UpgradeState::kExpired:
      return "EXPIRED";
    case UpgradeState::kFailed:
      return "FAILED";
  }
  return "UNSPECIFIED";
}

absl::string_view UpgradeStepName(UpgradeStep step) {
  switch (step) {
    case UpgradeStep::kConfigure:
      return "ConfigureUpgrade";
    case UpgradeStep::kPrice:
      return "PriceUpgrade";
    case UpgradeStep::kPlace:
      return "PlaceUpgradeOrder";
    case UpgradeStep::kCancel:
      return "CancelUpgrade";
  }
  return "";
}

bool IsUnfinished(UpgradeState state) {
  return state == UpgradeState::kStarted || state == UpgradeState::kConfigured || state == UpgradeState::kPriced;
}

absl::Status CheckStep(UpgradeState state, UpgradeStep step) {
  if (Allowed(state, step)) return absl::OkStatus();
  const absl::string_view expected = NextStep(state);
  const std::string session = absl::StrCat("the upgrade is ", UpgradeStateName(state));
  switch (state) {
    case UpgradeState::kPlacing:
      return Refusal(kReasonOrderPlacing, state, expected,
                     absl::StrCat(session, ": its order is being placed; GetUpgrade shows when it completes"));
    case UpgradeState::kExpired:
      return Refusal(kReasonUpgradeExpired, state, expected,
                     absl::StrCat(session, ": its time ran out; start a new one with StartUpgrade"));
    case UpgradeState::kCompleted:
    case UpgradeState::kCancelled:
    case UpgradeState::kFailed:
      return Refusal(kReasonUpgradeEnded, state, expected,
                     absl::StrCat(session, ": it has ended; start a new one with StartUpgrade"));
    case UpgradeState::kStarted:
    case UpgradeState::kConfigured:
    case UpgradeState::kPriced:
      break;
  }
  return Refusal(kReasonUpgradeStepOutOfOrder, state, expected,
                 absl::StrCat(session, ": ", UpgradeStepName(step), " is out of order; the next step is ", expected));
}

bool HasExpired(const UpgradeRecord& upgrade, absl::Time now) {
  return IsUnfinished(upgrade.state) && upgrade.expire_time <= now;
}

}  // namespace lss
