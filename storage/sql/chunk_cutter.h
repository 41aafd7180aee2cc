// Cuts the licenses a SyncAll job covers into its chunks: the licenses
// matching the scope, in license-id order, every `chunk_size` of them one
// chunk [first id, last id]. Reads ids only, a keyset page at a time, and
// inserts chunks with multi-row INSERTs as it goes, so memory stays flat
// whatever the number of licenses (a page of ids and a statement's rows).
//
// Throws SOCI's exceptions: call it inside SqlRunner work, in the write
// transaction that creates the job. Thread-compatible.
#pragma once

#include <cstdint>

#include "absl/strings/string_view.h"
#include "storage/license_model.h"
#include "storage/sql/dialect.h"
#include "storage/sql/sync_job_rows.h"

namespace soci {
class session;
}  // namespace soci

namespace lss::storage {

struct CutChunks {
  int64_t license_count = 0;  // the job's total
  int64_t chunk_count = 0;
};

// Inserts the chunks of job `job_id` (which must exist: chunks reference
// it) as range chunks in `state` (pending, or waiting for a bulk job's
// pages), numbered from 0. `chunk_size` is at least 1.
CutChunks CutIntoChunks(soci::session& session, const Dialect& dialect, absl::string_view job_id,
                        const LicenseFilter& scope, int64_t chunk_size, ChunkState state);

}  // namespace lss::storage
