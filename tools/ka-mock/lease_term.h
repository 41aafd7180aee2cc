#pragma once

#include <cstdint>

#include "ka-mock/key_table.h"

namespace ka_mock {

// KA's lease terms: a term runs one calendar year (UTC), and KA expects the
// renewal ten days before the key expires. Pure functions of their inputs.

// The same UTC date and time one year after `unix_seconds` (29 February
// moves to 1 March).
int64_t OneTermAfter(int64_t unix_seconds);

// A fresh term from `now`: what KA gives a key it issues or upgrades.
void StartTerm(KeyRecord& key, int64_t now);

// One more term from the key's current expiry: what RenewKey gives.
void RenewTerm(KeyRecord& key);

// Sets the expiry; the update-due date moves with it.
void SetExpiry(KeyRecord& key, int64_t expire_time);

}  // namespace ka_mock
