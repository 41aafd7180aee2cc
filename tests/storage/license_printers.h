// GoogleTest printers for the storage value types, so that a failed
// EXPECT_EQ on a record shows fields rather than bytes. Found by ADL.
#pragma once

#include <ostream>

#include "storage/license_model.h"

namespace lss {

void PrintTo(const SyncResult& result, std::ostream* os);
void PrintTo(const LicenseConfig& config, std::ostream* os);
void PrintTo(const LicenseRecord& record, std::ostream* os);
void PrintTo(const SyncHistoryEntry& entry, std::ostream* os);

}  // namespace lss
