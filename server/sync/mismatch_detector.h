// Compares billing's record of a license with the key at KA: the heart of a
// sync. Pure functions over values (no I/O), so that every mismatch kind is
// unit-tested alone and in combination; thread-safe.
#pragma once

#include <vector>

#include "client/key_info.h"
#include "storage/license_model.h"

namespace lss {

// Every field in which billing's configuration and state differ from KA's
// key, each with billing's and KA's value as text, and the summary message.
// In Sync when nothing differs.
SyncResult CompareWithKa(const LicenseConfig& billing, LicenseState billing_state, const KaKey& ka);

// The result for a key that KA answered about with a result code instead of
// the key (220 unknown, 221 problem, 222 terminated): one mismatch naming it.
SyncResult KeyNotFoundAtKa(const LicenseConfig& billing);
SyncResult KeyProblemAtKa(const LicenseConfig& billing);
SyncResult KeyTerminatedAtKa(const LicenseConfig& billing, LicenseState billing_state);

// "In Sync", or "Not In Sync: " followed by one clause per mismatch, e.g.
// "Not In Sync: capacity changed (billing 100, KA 300); features added at
// KA: POWER_PACK".
std::string SummarizeMismatches(const std::vector<Mismatch>& mismatches);

}  // namespace lss
