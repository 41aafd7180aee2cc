// SyncAll jobs as stored: the job, its progress counters, and the chunks of
// licenses that replicas claim under leases. Plain values; copy them freely.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "storage/license_model.h"

namespace lss {

// Values match licensing.v1.SyncJobState.
enum class SyncJobState { kRunning = 1, kSucceeded = 2, kCancelled = 3, kFailed = 4 };

// How many licenses a job covers and what became of those processed so far.
struct SyncJobCounts {
  int64_t total = 0;
  int64_t processed = 0;  // in_sync + not_in_sync + errors + skipped
  int64_t in_sync = 0;
  int64_t not_in_sync = 0;
  int64_t errors = 0;
  int64_t skipped = 0;

  bool operator==(const SyncJobCounts&) const = default;
};

struct SyncJobRecord {
  std::string job_id;
  SyncJobState state = SyncJobState::kRunning;
  LicenseFilter scope;
  std::string created_by;
  absl::Time create_time = absl::UnixEpoch();
  absl::optional<absl::Time> end_time;
  SyncJobCounts counts;
  int64_t chunk_count = 0;
  int64_t chunks_done = 0;
  bool cancel_requested = false;
  std::string error;  // why the job failed
  // A bulk job reads KA's whole account through ListKeys pages first (one
  // call per page instead of one per license), then sweeps its range chunks
  // for the licenses no page covered (deleted keys, keys of another
  // account), asking KA about each of those alone.
  bool bulk = false;

  bool operator==(const SyncJobRecord&) const = default;
};

// A unit of a job's work, claimed under a lease; its results and its
// completion are committed together. Either a contiguous range of license
// ids, or (bulk jobs) one page of KA's ListKeys: `page_token` set, the
// license-id fields 0.
struct SyncChunk {
  std::string job_id;
  int64_t chunk_index = 0;        // 0, 1, ... in license-id order
  int64_t first_license_id = 0;   // inclusive
  int64_t last_license_id = 0;    // inclusive
  int64_t license_count = 0;      // licenses of the scope in the range at creation
  std::string owner;              // the replica holding the lease
  absl::Time lease_expires = absl::UnixEpoch();
  int attempts = 0;               // claims so far, this one included
  // A page: KA's token of this page ("" for the first); unset for a range.
  absl::optional<std::string> page_token;

  bool is_page() const { return page_token.has_value(); }
  bool operator==(const SyncChunk&) const = default;
};

// The outcome of syncing one license inside a chunk.
struct LicenseSyncOutcome {
  int64_t license_id = 0;
  // Set: KA answered and this is the comparison. Unset: the attempt failed
  // (`error`), or the license was skipped (`skipped`).
  absl::optional<SyncResult> result;
  std::string ka_key_number;
  std::string error;
  bool skipped = false;  // e.g. an upgrade order was being placed
  absl::Time sync_time = absl::UnixEpoch();
  // The version of the license that `result` compared with KA. When set and
  // the license has another version at the commit (an upgrade order
  // completed meanwhile), the result may be stale: it counts as skipped and
  // nothing is written for the license.
  absl::optional<int64_t> compared_version;
};

}  // namespace lss
