// Upgrade sessions as operators read them: what the wizard starts from and
// may change, the priced lines, the order placed, and the table of
// `upgrades`. Pure functions of the messages; the text ends in '\n'.
#pragma once

#include <string>

#include "google/protobuf/repeated_ptr_field.h"
#include "licensing/v1/license_service.pb.h"
#include "licensing/v1/upgrade.pb.h"

namespace licensectl {

// UPGRADE_STATE_PRICED: "PRICED".
std::string UpgradeStateName(licensing::v1::UpgradeState state);

// What StartUpgrade found: the session, the license's configuration (billing
// beside KA when they differ, with what the sync status means for the
// upgrade: a Not In Sync license adopts KA's configuration), and the offered
// capacity steps and features.
std::string RenderUpgradeOpening(const licensing::v1::Upgrade& upgrade);

// The target configuration, then one row per priced line (kind, item,
// description, the amount per term, the amount charged now) and the total
// with the share of the term it is prorated for. Amounts in the currency's
// decimals ("70.56 EUR").
std::string RenderUpgradePrice(const licensing::v1::Upgrade& upgrade);

// A session's order: old and new key number, whether KA was called, the
// total charged, and KA's disagreements or the failure, if any.
std::string RenderUpgradeOrder(const licensing::v1::Upgrade& upgrade);

// The order just placed, then the license's sync status with each
// mismatch (the license is In Sync unless KA's answer differed).
std::string RenderPlacedOrder(const licensing::v1::PlaceUpgradeOrderResponse& placed);

// The table of `upgrades`: UPGRADE ID, LICENSE, KEY NUMBER (billing's when
// the session started), STATE, CREATED, UPDATED, TOTAL (the order's once
// placed, else the price's, else "-"); the header even when empty.
std::string RenderUpgradeTable(const google::protobuf::RepeatedPtrField<licensing::v1::Upgrade>& upgrades);

}  // namespace licensectl
