// What a chunk's commit decides for each outcome before writing anything
// (storage/sql/chunk_outcome_plan.h): pure, so tested without a database.
#include "storage/sql/chunk_outcome_plan.h"

#include <vector>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "storage/sql/value_codec.h"
#include "tests/storage/sync_job_printers.h"

namespace lss::storage {
namespace {

const absl::Time kSyncTime = absl::FromUnixSeconds(1'700'000'000);

SyncResult NotInSync() {
  return SyncResult{SyncStatus::kNotInSync,
                    {{MismatchKind::kCapacityChanged, "30", "100"}},
                    "capacity changed from 30 to 100"};
}

StoredSyncFields Stored(int64_t license_id, const SyncResult& result, int64_t version = 3) {
  return StoredSyncFields{license_id,
                          "PLSK.00000001.0001",
                          static_cast<int>(result.status),
                          EncodeMismatches(result.mismatches),
                          result.message,
                          "",
                          version,
                          false};
}

LicenseSyncOutcome WithResult(int64_t license_id, const SyncResult& result) {
  LicenseSyncOutcome outcome;
  outcome.license_id = license_id;
  outcome.result = result;
  outcome.sync_time = kSyncTime;
  return outcome;
}

TEST(ChunkOutcomePlanTest, DecidesEachOutcomeFromTheStoredFields) {
  StoredSyncFields with_error = Stored(4, NotInSync());
  with_error.last_sync_error = "timeout";
  StoredSyncFields placing = Stored(5, NotInSync());
  placing.order_placing = true;
  const std::vector<StoredSyncFields> stored = {
      Stored(1, SyncResult{SyncStatus::kNeverSynced, {}, ""}), Stored(2, NotInSync()),
      Stored(3, NotInSync()), with_error, placing};  // 6 and 7: gone, skipped

  LicenseSyncOutcome failed;
  failed.license_id = 3;
  LicenseSyncOutcome gone = WithResult(6, NotInSync());
  LicenseSyncOutcome skipped;
  skipped.license_id = 7;
  skipped.skipped = true;
  const std::vector<LicenseSyncOutcome> outcomes = {
      WithResult(1, SyncResult{SyncStatus::kInSync, {}, ""}),
      WithResult(2, NotInSync()),
      failed,
      WithResult(4, NotInSync()),
      WithResult(5, SyncResult{SyncStatus::kInSync, {}, ""}),
      gone,
      skipped,
  };
  const ChunkOutcomePlan plan = PlanChunkOutcomes(outcomes, stored);

  ASSERT_EQ(plan.writes.size(), 4u);
  EXPECT_EQ(plan.writes[0].kind, LicenseSyncWriteKind::kResultChanged);
  EXPECT_EQ(plan.writes[0].expected_version, 3);
  EXPECT_EQ(plan.writes[0].key_number, "PLSK.00000001.0001");
  EXPECT_EQ(plan.writes[1].kind, LicenseSyncWriteKind::kResultConfirmed);
  EXPECT_FALSE(plan.writes[1].clears_error);
  EXPECT_EQ(plan.writes[2].kind, LicenseSyncWriteKind::kAttemptFailed);
  EXPECT_FALSE(plan.writes[2].error.empty());  // an empty one would read as success
  EXPECT_EQ(plan.writes[3].kind, LicenseSyncWriteKind::kResultConfirmed);
  EXPECT_TRUE(plan.writes[3].clears_error);
  EXPECT_EQ(
      plan.counts,
      (SyncJobCounts{.processed = 7, .in_sync = 1, .not_in_sync = 2, .errors = 1, .skipped = 3}));
}

TEST(ChunkOutcomePlanTest, AnyDifferenceInTheFindingsIsAChange) {
  SyncResult other_value = NotInSync();
  other_value.mismatches[0].ka_value = "200";
  SyncResult other_status = NotInSync();
  other_status.status = SyncStatus::kInSync;
  for (const SyncResult& result : {other_value, other_status}) {
    const ChunkOutcomePlan plan =
        PlanChunkOutcomes({WithResult(1, result)}, {Stored(1, NotInSync())});
    ASSERT_EQ(plan.writes.size(), 1u);
    EXPECT_EQ(plan.writes[0].kind, LicenseSyncWriteKind::kResultChanged) << result.message;
  }
}

// An imported license stores no message; the first sync's "In Sync" is the
// same finding, so its etag stays and an open upgrade session is not aborted.
TEST(ChunkOutcomePlanTest, TheMessageAloneIsNoChange) {
  SyncResult other_message = NotInSync();
  other_message.message += ".";
  const ChunkOutcomePlan plan = PlanChunkOutcomes({WithResult(1, other_message)}, {Stored(1, NotInSync())});
  ASSERT_EQ(plan.writes.size(), 1u);
  EXPECT_EQ(plan.writes[0].kind, LicenseSyncWriteKind::kResultConfirmed);
}

TEST(ChunkOutcomePlanTest, RefusesOutcomesThatCannotBelongToTheChunk) {
  SyncChunk chunk;
  chunk.first_license_id = 10;
  chunk.last_license_id = 20;
  EXPECT_TRUE(
      ValidateChunkOutcomes(chunk, {WithResult(10, NotInSync()), WithResult(20, NotInSync())})
          .ok());
  LicenseSyncOutcome long_key = WithResult(15, NotInSync());
  long_key.ka_key_number = std::string(65, 'K');
  for (const std::vector<LicenseSyncOutcome>& bad : std::vector<std::vector<LicenseSyncOutcome>>{
           {WithResult(9, NotInSync())},
           {WithResult(21, NotInSync())},
           {WithResult(12, NotInSync()), WithResult(12, NotInSync())},
           {WithResult(12, SyncResult{SyncStatus::kNeverSynced, {}, ""})},
           {long_key},
       }) {
    EXPECT_EQ(ValidateChunkOutcomes(chunk, bad).code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(ChunkOutcomePlanTest, APageMayNameAnyLicenseButEachOnce) {
  SyncChunk page;
  page.page_token = "token-1";  // a bulk job's page: license-id fields 0
  EXPECT_TRUE(
      ValidateChunkOutcomes(page, {WithResult(9, NotInSync()), WithResult(1'000'000, NotInSync())})
          .ok());
  for (const std::vector<LicenseSyncOutcome>& bad : std::vector<std::vector<LicenseSyncOutcome>>{
           {WithResult(12, NotInSync()), WithResult(12, NotInSync())},
           {WithResult(12, SyncResult{SyncStatus::kNeverSynced, {}, ""})},
       }) {
    EXPECT_EQ(ValidateChunkOutcomes(page, bad).code(), absl::StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace lss::storage
