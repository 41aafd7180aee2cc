// Billing's configuration as KA holds it: what an import, a creation or an
// adopting upgrade writes to billing. Pure; thread-safe.
#pragma once

#include "client/key_info.h"
#include "storage/license_model.h"

namespace lss {

LicenseConfig ConfigFromKa(const KaKey& key);

}  // namespace lss
