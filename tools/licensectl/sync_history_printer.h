// A license's sync history as `history` prints it. Pure; the text ends in
// '\n'.
#pragma once

#include <string>

#include "google/protobuf/repeated_ptr_field.h"
#include "licensing/v1/sync.pb.h"

namespace licensectl {

// One row per sync, in the server's order (newest first): SYNCED AT, KEY
// NUMBER (billing's at the time), KA KEY NUMBER ("-" when KA did not
// answer), STATUS ("Error" for an attempt that failed), JOB ("-" for a
// single sync), RESULT (the mismatches in one sentence, or why the attempt
// failed). The header line is there even with no rows.
std::string RenderSyncHistoryTable(
    const google::protobuf::RepeatedPtrField<licensing::v1::SyncHistoryEntry>& entries);

}  // namespace licensectl
