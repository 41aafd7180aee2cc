// GoogleTest printers for the upgrade session value types, so that a failed
// EXPECT_EQ on a session shows fields rather than bytes. Found by ADL.
#pragma once

#include <ostream>

#include "storage/upgrade_model.h"

namespace lss {

void PrintTo(const UpgradeOptions& options, std::ostream* os);
void PrintTo(const UpgradePrice& price, std::ostream* os);
void PrintTo(const UpgradeOrder& order, std::ostream* os);
void PrintTo(const UpgradeRecord& upgrade, std::ostream* os);

}  // namespace lss
