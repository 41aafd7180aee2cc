// The upgrade wizard's state machine (DESIGN.md §1, §4), in one place:
//
//   StartUpgrade -> STARTED --ConfigureUpgrade--> CONFIGURED --PriceUpgrade--> PRICED
//   CONFIGURED, PRICED --ConfigureUpgrade--> CONFIGURED   (going back: the price is dropped)
//   PRICED --PriceUpgrade--> PRICED                       (priced again)
//   PRICED --PlaceUpgradeOrder--> PLACING --> COMPLETED | FAILED | PRICED (KA failed: retryable)
//   STARTED, CONFIGURED, PRICED --CancelUpgrade--> CANCELLED
//   STARTED, CONFIGURED, PRICED --TTL passes--> EXPIRED
//
// PlaceUpgradeOrder on a PLACING or COMPLETED session is not a step out of
// order: it joins the placement under way or returns its result (exactly
// once at KA). Every refusal names the step expected.
// Pure functions; thread-safe.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "storage/upgrade_model.h"

namespace lss {

// FAILED_PRECONDITION reasons of refused steps; ErrorInfo metadata
// "expected_step" names the RPC to call instead and "state" the session's.
inline constexpr absl::string_view kReasonUpgradeStepOutOfOrder = "UPGRADE_STEP_OUT_OF_ORDER";
inline constexpr absl::string_view kReasonUpgradeExpired = "UPGRADE_EXPIRED";
// The session ended (COMPLETED, CANCELLED, FAILED): start a new one.
inline constexpr absl::string_view kReasonUpgradeEnded = "UPGRADE_ENDED";
inline constexpr absl::string_view kExpectedStepMetadata = "expected_step";
inline constexpr absl::string_view kStateMetadata = "state";

enum class UpgradeStep { kConfigure, kPrice, kPlace, kCancel };

// "STARTED", "PLACING", ... as in licensing.v1.UpgradeState without prefix.
absl::string_view UpgradeStateName(UpgradeState state);
// The RPC of a step, e.g. "ConfigureUpgrade".
absl::string_view UpgradeStepName(UpgradeStep step);

// STARTED, CONFIGURED and PRICED: the states a TTL ends.
bool IsUnfinished(UpgradeState state);

// Whether `step` may be taken from `state`. PLACING and COMPLETED count as
// allowed for kPlace (joining or repeating the placement); PLACING for any
// other step is FAILED_PRECONDITION (UPGRADE_ORDER_PLACING).
absl::Status CheckStep(UpgradeState state, UpgradeStep step);

// An unfinished session whose TTL has passed at `now`.
bool HasExpired(const UpgradeRecord& upgrade, absl::Time now);

}  // namespace lss
