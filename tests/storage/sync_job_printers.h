// GoogleTest printers for the SyncAll job value types, so that a failed
// EXPECT_EQ on a job or a chunk shows fields rather than bytes. Found by
// ADL.
#pragma once

#include <ostream>

#include "storage/sync_job_model.h"

namespace lss {

void PrintTo(const SyncJobCounts& counts, std::ostream* os);
void PrintTo(const SyncJobRecord& job, std::ostream* os);
void PrintTo(const SyncChunk& chunk, std::ostream* os);

}  // namespace lss
