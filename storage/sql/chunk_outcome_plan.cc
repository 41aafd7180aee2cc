#include "storage/sql/chunk_outcome_plan.h"

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"
#include "storage/sql/field_checks.h"
#include "storage/sql/value_codec.h"

namespace lss::storage {
namespace {

constexpr char kUnexplainedFailure[] = "sync attempt failed (no reason given)";

}  // namespace

absl::Status ValidateChunkOutcomes(const SyncChunk& chunk,
                                   const std::vector<LicenseSyncOutcome>& outcomes) {
  absl::flat_hash_set<int64_t> seen;
  seen.reserve(outcomes.size());
  for (const LicenseSyncOutcome& outcome : outcomes) {
    if (!chunk.is_page() && (outcome.license_id < chunk.first_license_id ||
                             outcome.license_id > chunk.last_license_id)) {
      return InvalidArgumentError(
          "outcomes.license_id",
          absl::StrCat("license ", outcome.license_id, " is outside chunk ", chunk.chunk_index,
                       " [", chunk.first_license_id, ", ", chunk.last_license_id, "]"));
    }
    if (!seen.insert(outcome.license_id).second) {
      return InvalidArgumentError("outcomes.license_id",
                                  absl::StrCat("license ", outcome.license_id, " appears twice"));
    }
    if (!outcome.skipped && outcome.result.has_value() &&
        outcome.result->status == SyncStatus::kNeverSynced) {
      return InvalidArgumentError("outcomes.result.status",
                                  absl::StrCat("license ", outcome.license_id,
                                               ": a sync result is In Sync or Not In Sync"));
    }
    if (outcome.ka_key_number.size() > kMaxKeyNumberLength) {
      return InvalidArgumentError("outcomes.ka_key_number",
                                  absl::StrCat("license ", outcome.license_id, ": longer than ",
                                               kMaxKeyNumberLength, " characters"));
    }
  }
  return absl::OkStatus();
}

ChunkOutcomePlan PlanChunkOutcomes(const std::vector<LicenseSyncOutcome>& outcomes,
                                   const std::vector<StoredSyncFields>& stored) {
  absl::flat_hash_map<int64_t, const StoredSyncFields*> by_id;
  by_id.reserve(stored.size());
  for (const StoredSyncFields& fields : stored) by_id[fields.license_id] = &fields;

  ChunkOutcomePlan plan;
  plan.writes.reserve(outcomes.size());
  SyncJobCounts& counts = plan.counts;
  for (const LicenseSyncOutcome& outcome : outcomes) {
    auto found = by_id.find(outcome.license_id);
    // An order being placed wins over the runner's answer: the license may
    // already hold the upgraded configuration KA is answering about. So does
    // a license that changed since it was compared (an order completed
    // while KA was asked): the answer may be about the key it replaced.
    if (outcome.skipped || found == by_id.end() || found->second->order_placing ||
        (outcome.compared_version.has_value() && *outcome.compared_version != found->second->version)) {
      ++counts.skipped;
      continue;
    }
    const StoredSyncFields& license = *found->second;
    LicenseSyncWrite write;
    write.outcome = &outcome;
    write.key_number = license.key_number;
    write.expected_version = license.version;
    if (outcome.result.has_value()) {
      const SyncResult& result = *outcome.result;
      if (result.status == SyncStatus::kInSync) {
        ++counts.in_sync;
      } else {
        ++counts.not_in_sync;
      }
      // The encoding is canonical (value_codec.h): equal texts, equal lists.
      // As SyncResult::SameFindingsAs, the derived message is not compared.
      write.encoded_mismatches = EncodeMismatches(result.mismatches);
      const bool same = static_cast<int>(result.status) == license.sync_status &&
                        write.encoded_mismatches == license.mismatches;
      write.kind =
          same ? LicenseSyncWriteKind::kResultConfirmed : LicenseSyncWriteKind::kResultChanged;
      write.clears_error = same && !license.last_sync_error.empty();
    } else {
      ++counts.errors;
      write.kind = LicenseSyncWriteKind::kAttemptFailed;
      write.error = outcome.error.empty() ? kUnexplainedFailure : outcome.error;
    }
    plan.writes.push_back(std::move(write));
  }
  counts.processed = counts.in_sync + counts.not_in_sync + counts.errors + counts.skipped;
  return plan;
}

}  // namespace lss::storage
