// The SyncAll job storage tests, one source for every backend: a second
// type-parameterized suite, SyncJobTest, instantiated next to StorageTest
// ("Sqlite" in sqlite_storage_test.cc, "MariaDb" in mariadb_storage_test.cc).
//
// It reuses StorageTest's fixture, so it gets a fresh database of its own
// for the whole suite. At most one job runs per database: every test ends
// the jobs it starts (TearDown cancels one left running), scopes its jobs to
// a license class of its own (OwnClass), and passes explicit times (At) to
// every call. No test sleeps or measures time.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <latch>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/status/error_details.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/database.h"
#include "storage/sync_job_repository.h"
#include "tests/storage/storage_test_suite.h"
#include "tests/storage/sync_job_printers.h"

namespace lss::storage_test {

template <typename Backend>
class SyncJobTest : public StorageTest<Backend> {
 protected:
  void TearDown() override {
    // The next test must be able to start a job.
    if (this->database_ == nullptr) return;
    absl::StatusOr<absl::optional<SyncJobRecord>> running = jobs().Running();
    ASSERT_TRUE(running.ok()) << running.status();
    if (running->has_value()) {
      ADD_FAILURE() << "the test left job " << (*running)->job_id << " running";
      ASSERT_TRUE(jobs().Cancel((*running)->job_id, At(0)).ok());
    }
  }

  SyncJobRepository& jobs() { return this->database().sync_jobs(); }

  // A job id no other job of the suite has.
  static std::string UniqueJobId() {
    return absl::StrCat("job-", CurrentTestName().substr(0, 40), "-",
                        StorageTest<Backend>::UniqueNumber());
  }

  static LicenseFilter ScopeOf(std::string license_class) {
    LicenseFilter scope;
    scope.license_class = std::move(license_class);
    return scope;
  }

  static NewSyncJob NewJob(const LicenseFilter& scope, int64_t chunk_size) {
    NewSyncJob job;
    job.job_id = UniqueJobId();
    job.scope = scope;
    job.created_by = "operator@example.com";
    job.chunk_size = chunk_size;
    return job;
  }

  // `count` new licenses of `license_class`, their ids in order.
  std::vector<int64_t> CreateLicenses(int count, const std::string& license_class) {
    std::vector<NewLicense> licenses;
    for (int i = 0; i < count; ++i)
      licenses.push_back(this->NewFor(this->UniqueKey(), license_class));
    absl::StatusOr<CreateManyResult> created = this->repo().CreateMany(licenses, At(0));
    EXPECT_TRUE(created.ok()) << created.status();
    return this->IdsOf(ScopeOf(license_class));
  }

  SyncJobRecord StartOrDie(const NewSyncJob& job, absl::Time now) {
    absl::StatusOr<StartedJob> started = jobs().StartOrAttach(job, now);
    EXPECT_TRUE(started.ok()) << started.status();
    if (!started.ok()) return SyncJobRecord{};
    EXPECT_TRUE(started->created) << "job " << started->job.job_id << " was running";
    return started->job;
  }

  SyncChunk ClaimOrDie(absl::string_view job_id, absl::string_view owner, absl::Time now,
                       absl::Duration lease = absl::Minutes(1)) {
    absl::StatusOr<absl::optional<SyncChunk>> chunk = jobs().ClaimChunk(job_id, owner, now, lease);
    EXPECT_TRUE(chunk.ok()) << chunk.status();
    if (!chunk.ok()) return SyncChunk{};
    EXPECT_TRUE(chunk->has_value()) << "no chunk left to claim";
    return chunk->value_or(SyncChunk{});
  }

  bool NothingToClaim(absl::string_view job_id, absl::Time now) {
    absl::StatusOr<absl::optional<SyncChunk>> chunk =
        jobs().ClaimChunk(job_id, "anyone", now, absl::Minutes(1));
    EXPECT_TRUE(chunk.ok()) << chunk.status();
    return chunk.ok() && !chunk->has_value();
  }

  static LicenseSyncOutcome InSyncOutcome(int64_t license_id, absl::Time time) {
    LicenseSyncOutcome outcome;
    outcome.license_id = license_id;
    outcome.result = StorageTest<Backend>::InSyncAt(time).result;
    outcome.ka_key_number = "PLSK.00000001.0001";
    outcome.sync_time = time;
    return outcome;
  }

  static LicenseSyncOutcome NotInSyncOutcome(int64_t license_id, absl::Time time) {
    const SyncOutcome not_in_sync = StorageTest<Backend>::NotInSyncAt(time);
    LicenseSyncOutcome outcome;
    outcome.license_id = license_id;
    outcome.result = not_in_sync.result;
    outcome.ka_key_number = not_in_sync.ka_key_number;
    outcome.sync_time = time;
    return outcome;
  }

  static LicenseSyncOutcome FailedOutcome(int64_t license_id, absl::Time time) {
    LicenseSyncOutcome outcome;
    outcome.license_id = license_id;
    outcome.error = "Key Administrator unavailable: deadline exceeded";
    outcome.sync_time = time;
    return outcome;
  }

  // In Sync outcomes for every license of the chunk, as a runner would
  // report them.
  std::vector<LicenseSyncOutcome> InSyncOutcomesOf(const SyncJobRecord& job, const SyncChunk& chunk,
                                                   absl::Time time) {
    absl::StatusOr<std::vector<LicenseRecord>> licenses = jobs().LicensesOf(job, chunk);
    EXPECT_TRUE(licenses.ok()) << licenses.status();
    std::vector<LicenseSyncOutcome> outcomes;
    for (const LicenseRecord& license : licenses.value_or(std::vector<LicenseRecord>{})) {
      outcomes.push_back(InSyncOutcome(license.license_id, time));
    }
    return outcomes;
  }

  SyncJobRecord CompleteOrDie(const SyncChunk& chunk,
                              const std::vector<LicenseSyncOutcome>& outcomes, absl::Time now) {
    absl::StatusOr<SyncJobRecord> job = jobs().CompleteChunk(chunk, outcomes, now);
    EXPECT_TRUE(job.ok()) << job.status();
    return job.value_or(SyncJobRecord{});
  }

  SyncJobRecord GetOrDie(absl::string_view job_id) {
    absl::StatusOr<SyncJobRecord> job = jobs().Get(job_id);
    EXPECT_TRUE(job.ok()) << job.status();
    return job.value_or(SyncJobRecord{});
  }

  LicenseRecord LicenseOrDie(int64_t license_id) {
    absl::StatusOr<LicenseRecord> license = this->repo().Get(license_id);
    EXPECT_TRUE(license.ok()) << license.status();
    return license.value_or(LicenseRecord{});
  }

  void SetOrderPlacing(int64_t license_id) {
    // The upgrade flow will set this; no repository method does yet.
    ASSERT_TRUE(this->raw()
                    .Execute(absl::StrCat(
                        "UPDATE licenses SET order_placing = 1 WHERE license_id = ", license_id))
                    .ok());
  }

  int64_t ChunkRowsOf(absl::string_view job_id) {
    return this->raw()
        .QueryInt(
            absl::StrCat("SELECT COUNT(*) FROM sync_job_chunks WHERE job_id = '", job_id, "'"))
        .value_or(-1);
  }

  static NewSyncJob NewBulkJob(const LicenseFilter& scope, int64_t chunk_size) {
    NewSyncJob job = NewJob(scope, chunk_size);
    job.bulk = true;
    return job;
  }

  // "PREFIX.NNNNNNNN", as KA's ListKeys names a license's key.
  std::string KeyBaseOf(int64_t license_id) {
    const std::string key_number = LicenseOrDie(license_id).config.key_number;
    return key_number.substr(0, key_number.rfind('.'));
  }

  std::vector<std::string> KeyBasesOf(const std::vector<int64_t>& license_ids) {
    std::vector<std::string> bases;
    for (int64_t id : license_ids) bases.push_back(KeyBaseOf(id));
    return bases;
  }

  std::vector<int64_t> IdsForKeys(const SyncJobRecord& job, const std::vector<std::string>& bases) {
    absl::StatusOr<std::vector<LicenseRecord>> licenses = jobs().LicensesForKeys(job, bases);
    EXPECT_TRUE(licenses.ok()) << licenses.status();
    std::vector<int64_t> ids;
    for (const LicenseRecord& license : licenses.value_or(std::vector<LicenseRecord>{})) {
      ids.push_back(license.license_id);
    }
    return ids;
  }

  std::vector<int64_t> IdsOfChunk(const SyncJobRecord& job, const SyncChunk& chunk) {
    absl::StatusOr<std::vector<LicenseRecord>> licenses = jobs().LicensesOf(job, chunk);
    EXPECT_TRUE(licenses.ok()) << licenses.status();
    std::vector<int64_t> ids;
    for (const LicenseRecord& license : licenses.value_or(std::vector<LicenseRecord>{})) {
      ids.push_back(license.license_id);
    }
    return ids;
  }

  static std::vector<LicenseSyncOutcome> InSyncOutcomesFor(const std::vector<int64_t>& ids,
                                                           absl::Time time) {
    std::vector<LicenseSyncOutcome> outcomes;
    for (int64_t id : ids) outcomes.push_back(InSyncOutcome(id, time));
    return outcomes;
  }

  // Completes a page; `next_page_token` names the one after it, '' none.
  SyncJobRecord CompletePageOrDie(const SyncChunk& page,
                                  const std::vector<LicenseSyncOutcome>& outcomes,
                                  absl::string_view next_page_token, absl::Time now) {
    absl::StatusOr<SyncJobRecord> job = jobs().CompletePage(page, outcomes, next_page_token, now);
    EXPECT_TRUE(job.ok()) << job.status();
    return job.value_or(SyncJobRecord{});
  }

  // sync_job_chunks.state of one chunk (0 waiting, 1 pending, 2 claimed,
  // 3 done); -1 when there is no such chunk.
  int64_t ChunkStateOf(absl::string_view job_id, int64_t chunk_index) {
    return this->raw()
        .QueryInt(absl::StrCat("SELECT state FROM sync_job_chunks WHERE job_id = '", job_id,
                               "' AND chunk_index = ", chunk_index))
        .value_or(-1);
  }

  // Whether the license's sync result was last written by `job_id`
  // (licenses.sync_job_id; '' for none).
  bool LastSyncedBy(int64_t license_id, absl::string_view job_id) {
    return this->raw()
               .QueryInt(absl::StrCat("SELECT COUNT(*) FROM licenses WHERE license_id = ",
                                      license_id, " AND sync_job_id = '", job_id, "'"))
               .value_or(-1) == 1;
  }

  // Claims and completes every chunk of bulk job `job` left, In Sync: page
  // k lists the key bases `pages[k]` (and records page k + 1, as a runner
  // does), a range its uncovered licenses. The ids each range swept
  // are appended to `swept`.
  SyncJobRecord RunBulkToTheEnd(const SyncJobRecord& job,
                                const std::vector<std::vector<std::string>>& pages,
                                absl::Time now, std::vector<int64_t>* swept = nullptr) {
    SyncJobRecord latest = job;
    for (;;) {
      absl::StatusOr<absl::optional<SyncChunk>> claimed =
          jobs().ClaimChunk(job.job_id, "finisher", now, absl::Minutes(1));
      EXPECT_TRUE(claimed.ok()) << claimed.status();
      if (!claimed.ok() || !claimed->has_value()) return latest;
      const SyncChunk& chunk = **claimed;
      if (!chunk.is_page()) {
        const std::vector<int64_t> ids = IdsOfChunk(job, chunk);
        if (swept != nullptr) swept->insert(swept->end(), ids.begin(), ids.end());
        latest = CompleteOrDie(chunk, InSyncOutcomesFor(ids, now), now);
        continue;
      }
      const size_t k = static_cast<size_t>(chunk.chunk_index - job.chunk_count);
      EXPECT_LT(k, pages.size());
      if (k >= pages.size()) return latest;
      const std::string next = k + 1 == pages.size() ? "" : absl::StrCat("page-", k + 1);
      latest = CompletePageOrDie(chunk, InSyncOutcomesFor(IdsForKeys(job, pages[k]), now), next,
                                 now);
    }
  }

  // Claims and completes every chunk left, In Sync, as `owner`.
  SyncJobRecord RunToTheEnd(const SyncJobRecord& job, absl::Time now) {
    SyncJobRecord latest = job;
    for (;;) {
      absl::StatusOr<absl::optional<SyncChunk>> chunk =
          jobs().ClaimChunk(job.job_id, "finisher", now, absl::Minutes(1));
      EXPECT_TRUE(chunk.ok()) << chunk.status();
      if (!chunk.ok() || !chunk->has_value()) return latest;
      latest = CompleteOrDie(**chunk, InSyncOutcomesOf(job, **chunk, now), now);
    }
  }
};

TYPED_TEST_SUITE_P(SyncJobTest);

// ---------------------------------------------------------------- start

TYPED_TEST_P(SyncJobTest, StartCutsTheMatchingLicensesIntoChunksInIdOrder) {
  // 1,234 licenses of the scope, with licenses of another class between
  // them that no chunk may count.
  const std::string license_class = this->OwnClass();
  std::vector<NewLicense> licenses;
  for (int i = 0; i < 1234; ++i) {
    licenses.push_back(this->NewFor(this->UniqueKey(), license_class));
    if (i % 5 == 0) licenses.push_back(this->NewFor(this->UniqueKey(), license_class + "_OTHER"));
  }
  ASSERT_TRUE(this->repo().CreateMany(licenses, At(0)).ok());
  const std::vector<int64_t> ids = this->IdsOf(this->ScopeOf(license_class));
  ASSERT_EQ(ids.size(), 1234u);

  NewSyncJob new_job = this->NewJob(this->ScopeOf(license_class), 100);
  absl::StatusOr<StartedJob> started = this->jobs().StartOrAttach(new_job, At(10));
  ASSERT_TRUE(started.ok()) << started.status();
  EXPECT_TRUE(started->created);
  const SyncJobRecord& job = started->job;
  EXPECT_EQ(job.job_id, new_job.job_id);
  EXPECT_EQ(job.state, SyncJobState::kRunning);
  EXPECT_EQ(job.scope, new_job.scope);
  EXPECT_EQ(job.created_by, new_job.created_by);
  EXPECT_EQ(job.create_time, At(10));
  EXPECT_FALSE(job.end_time.has_value());
  EXPECT_EQ(job.counts, (SyncJobCounts{.total = 1234}));
  EXPECT_EQ(job.chunk_count, 13);
  EXPECT_EQ(job.chunks_done, 0);
  EXPECT_FALSE(job.cancel_requested);
  EXPECT_EQ(this->GetOrDie(job.job_id), job);
  absl::StatusOr<absl::optional<SyncJobRecord>> running = this->jobs().Running();
  ASSERT_TRUE(running.ok()) << running.status();
  EXPECT_EQ(*running, absl::optional<SyncJobRecord>(job));

  // Claimed one after the other, the chunks come lowest first and cover
  // every license of the scope exactly once.
  std::vector<int64_t> covered;
  for (int64_t index = 0; index < 13; ++index) {
    const SyncChunk chunk = this->ClaimOrDie(job.job_id, "replica-a", At(11), absl::Minutes(5));
    EXPECT_EQ(chunk.job_id, job.job_id);
    EXPECT_EQ(chunk.chunk_index, index);
    EXPECT_EQ(chunk.license_count, index < 12 ? 100 : 34);
    EXPECT_EQ(chunk.owner, "replica-a");
    EXPECT_EQ(chunk.lease_expires, At(11) + absl::Minutes(5));
    EXPECT_EQ(chunk.attempts, 1);
    EXPECT_EQ(chunk.first_license_id, ids[static_cast<size_t>(index) * 100]);
    EXPECT_EQ(chunk.last_license_id,
              ids[std::min<size_t>(static_cast<size_t>(index) * 100 + 99, 1233)]);
    absl::StatusOr<std::vector<LicenseRecord>> in_chunk = this->jobs().LicensesOf(job, chunk);
    ASSERT_TRUE(in_chunk.ok()) << in_chunk.status();
    EXPECT_EQ(static_cast<int64_t>(in_chunk->size()), chunk.license_count);
    for (const LicenseRecord& license : *in_chunk) {
      EXPECT_EQ(license.config.license_class, license_class);
      covered.push_back(license.license_id);
    }
  }
  EXPECT_EQ(covered, ids);
  EXPECT_TRUE(this->NothingToClaim(job.job_id, At(12)));
  ASSERT_TRUE(this->jobs().Cancel(job.job_id, At(13)).ok());
}

TYPED_TEST_P(SyncJobTest, AJobOverNoLicenseSucceedsAsItStarts) {
  const SyncJobRecord job =
      this->StartOrDie(this->NewJob(this->ScopeOf(this->OwnClass()), 10), At(20));
  EXPECT_EQ(job.state, SyncJobState::kSucceeded);
  EXPECT_EQ(job.counts, SyncJobCounts{});
  EXPECT_EQ(job.chunk_count, 0);
  EXPECT_EQ(job.end_time, absl::optional<absl::Time>(At(20)));
  absl::StatusOr<absl::optional<SyncJobRecord>> running = this->jobs().Running();
  ASSERT_TRUE(running.ok()) << running.status();
  EXPECT_FALSE(running->has_value());
}

TYPED_TEST_P(SyncJobTest, ASecondStartAttachesToTheRunningJobWhateverItsScope) {
  const std::string license_class = this->OwnClass();
  this->CreateLicenses(3, license_class);
  const SyncJobRecord first =
      this->StartOrDie(this->NewJob(this->ScopeOf(license_class), 10), At(1));

  for (const LicenseFilter& scope :
       {this->ScopeOf(license_class), this->ScopeOf("ANOTHER_CLASS")}) {
    const NewSyncJob second = this->NewJob(scope, 10);
    absl::StatusOr<StartedJob> attached = this->jobs().StartOrAttach(second, At(2));
    ASSERT_TRUE(attached.ok()) << attached.status();
    EXPECT_FALSE(attached->created);
    EXPECT_EQ(attached->job, first);
    EXPECT_EQ(this->jobs().Get(second.job_id).status().code(), absl::StatusCode::kNotFound);
  }
  ASSERT_TRUE(this->jobs().Cancel(first.job_id, At(3)).ok());
}

TYPED_TEST_P(SyncJobTest, ConcurrentStartsCreateOneJob) {
  const std::string license_class = this->OwnClass();
  this->CreateLicenses(50, license_class);
  constexpr int kThreads = 8;
  std::vector<NewSyncJob> candidates;
  for (int i = 0; i < kThreads; ++i)
    candidates.push_back(this->NewJob(this->ScopeOf(license_class), 5));
  std::latch start(kThreads);
  std::vector<absl::StatusOr<StartedJob>> results(kThreads, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      results[i] = this->jobs().StartOrAttach(candidates[i], At(i));
    });
  }
  for (std::thread& thread : threads) thread.join();

  int created = 0;
  std::set<std::string> job_ids;
  for (const absl::StatusOr<StartedJob>& result : results) {
    ASSERT_TRUE(result.ok()) << result.status();
    if (result->created) ++created;
    job_ids.insert(result->job.job_id);
    EXPECT_EQ(result->job.chunk_count, 10);  // seen whole, never half-created
  }
  EXPECT_EQ(created, 1);
  ASSERT_EQ(job_ids.size(), 1u);
  int64_t stored = 0;
  for (const NewSyncJob& candidate : candidates)
    stored += this->jobs().Get(candidate.job_id).ok() ? 1 : 0;
  EXPECT_EQ(stored, 1);
  ASSERT_TRUE(this->jobs().Cancel(*job_ids.begin(), At(10)).ok());
}

TYPED_TEST_P(SyncJobTest, StartRejectsBadInputAndAReusedJobId) {
  NewSyncJob job = this->NewJob(this->ScopeOf(this->OwnClass()), 10);
  job.chunk_size = 0;
  EXPECT_EQ(this->jobs().StartOrAttach(job, At(1)).status().code(),
            absl::StatusCode::kInvalidArgument);
  job.chunk_size = 10;
  job.job_id = std::string(65, 'j');
  EXPECT_EQ(this->jobs().StartOrAttach(job, At(1)).status().code(),
            absl::StatusCode::kInvalidArgument);
  job.job_id = "";
  EXPECT_EQ(this->jobs().StartOrAttach(job, At(1)).status().code(),
            absl::StatusCode::kInvalidArgument);

  // An ended job's id cannot be used again, and the failed start takes no
  // slot.
  job.job_id = this->UniqueJobId();
  const SyncJobRecord ended = this->StartOrDie(job, At(2));  // no license: ended at once
  absl::StatusOr<StartedJob> again = this->jobs().StartOrAttach(job, At(3));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists) << again.status();
  EXPECT_EQ(ReasonOf(again.status()), kReasonSyncJobAlreadyExists);
  absl::StatusOr<absl::optional<SyncJobRecord>> running = this->jobs().Running();
  ASSERT_TRUE(running.ok()) << running.status();
  EXPECT_FALSE(running->has_value());
  EXPECT_EQ(this->GetOrDie(job.job_id), ended);
}

// ---------------------------------------------------------------- claims and leases

TYPED_TEST_P(SyncJobTest, ConcurrentClaimsHandEachChunkToOneOwner) {
  const std::string license_class = this->OwnClass();
  this->CreateLicenses(400, license_class);
  const SyncJobRecord job = this->StartOrDie(this->NewJob(this->ScopeOf(license_class), 10), At(1));
  ASSERT_EQ(job.chunk_count, 40);

  constexpr int kThreads = 8;
  std::latch start(kThreads);
  absl::Mutex mutex;
  std::map<int64_t, std::vector<std::string>> owners_by_chunk;
  std::vector<absl::Status> failures;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string owner = absl::StrCat("replica-", t);
      start.arrive_and_wait();
      for (;;) {
        absl::StatusOr<absl::optional<SyncChunk>> chunk =
            this->jobs().ClaimChunk(job.job_id, owner, At(2), absl::Minutes(1));
        absl::MutexLock lock(&mutex);
        if (!chunk.ok()) {
          failures.push_back(chunk.status());
          return;
        }
        if (!chunk->has_value()) return;
        owners_by_chunk[(*chunk)->chunk_index].push_back((*chunk)->owner);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(failures, ::testing::IsEmpty());
  ASSERT_EQ(owners_by_chunk.size(), 40u);
  for (const auto& [index, owners] : owners_by_chunk) {
    EXPECT_EQ(owners.size(), 1u) << "chunk " << index << " claimed " << owners.size() << " times";
  }
  ASSERT_TRUE(this->jobs().Cancel(job.job_id, At(3)).ok());
}

TYPED_TEST_P(SyncJobTest, AnExpiredLeaseIsTakenOverAndItsFirstOwnerWritesNothing) {
  const std::string license_class = this->OwnClass();
  const std::vector<int64_t> ids = this->CreateLicenses(4, license_class);
  const SyncJobRecord job =
      this->StartOrDie(this->NewJob(this->ScopeOf(license_class), 2), At(100));

  const SyncChunk first = this->ClaimOrDie(job.job_id, "replica-a", At(100), absl::Seconds(30));
  EXPECT_EQ(first.chunk_index, 0);
  // Still leased: the other replica gets the next chunk.
  const SyncChunk second = this->ClaimOrDie(job.job_id, "replica-b", At(129), absl::Seconds(30));
  EXPECT_EQ(second.chunk_index, 1);
  EXPECT_TRUE(this->NothingToClaim(job.job_id, At(130)));  // expires after At(130), not at it
  // Expired: taken over, as the claim's second attempt.
  const SyncChunk taken = this->ClaimOrDie(job.job_id, "replica-b", At(131), absl::Seconds(30));
  EXPECT_EQ(taken.chunk_index, 0);
  EXPECT_EQ(taken.attempts, 2);
  EXPECT_EQ(taken.owner, "replica-b");

  // The first owner comes back: it can neither renew nor complete.
  absl::Status renewed = this->jobs().RenewLease(first, At(132), absl::Seconds(30));
  EXPECT_EQ(renewed.code(), absl::StatusCode::kFailedPrecondition) << renewed;
  EXPECT_EQ(ReasonOf(renewed), kReasonSyncChunkLeaseLost);
  const std::vector<LicenseSyncOutcome> late = {this->NotInSyncOutcome(ids[0], At(133)),
                                                this->NotInSyncOutcome(ids[1], At(133))};
  absl::StatusOr<SyncJobRecord> lost = this->jobs().CompleteChunk(first, late, At(133));
  EXPECT_EQ(lost.status().code(), absl::StatusCode::kFailedPrecondition) << lost.status();
  EXPECT_EQ(ReasonOf(lost.status()), kReasonSyncChunkLeaseLost);
  for (int64_t id : {ids[0], ids[1]}) {
    const LicenseRecord license = this->LicenseOrDie(id);
    EXPECT_EQ(license.sync.status, SyncStatus::kNeverSynced);
    EXPECT_EQ(license.version, 1);
    EXPECT_TRUE(this->HistoryOldestFirst(id).empty());
  }
  EXPECT_EQ(this->GetOrDie(job.job_id).counts, (SyncJobCounts{.total = 4}));

  // The new owner renews, and its completion counts the chunk once.
  EXPECT_TRUE(this->jobs().RenewLease(taken, At(134), absl::Seconds(30)).ok());
  const SyncJobRecord after = this->CompleteOrDie(
      taken, {this->InSyncOutcome(ids[0], At(135)), this->InSyncOutcome(ids[1], At(135))}, At(135));
  EXPECT_EQ(after.counts, (SyncJobCounts{.total = 4, .processed = 2, .in_sync = 2}));
  EXPECT_EQ(this->jobs().CompleteChunk(taken, {}, At(136)).status().code(),
            absl::StatusCode::kFailedPrecondition);  // done: never twice

  // A lease that expired but was not taken over still completes.
  const SyncJobRecord ended = this->CompleteOrDie(
      second, {this->InSyncOutcome(ids[2], At(200)), this->InSyncOutcome(ids[3], At(200))},
      At(200));
  EXPECT_EQ(ended.state, SyncJobState::kSucceeded);
  EXPECT_EQ(ended.counts, (SyncJobCounts{.total = 4, .processed = 4, .in_sync = 4}));
}

TYPED_TEST_P(SyncJobTest, ReleasedLeasesAreClaimableAtOnce) {
  const std::string license_class = this->OwnClass();
  this->CreateLicenses(3, license_class);
  const SyncJobRecord job = this->StartOrDie(this->NewJob(this->ScopeOf(license_class), 1), At(1));
  const SyncChunk a0 = this->ClaimOrDie(job.job_id, "replica-a", At(1), absl::Hours(1));
  const SyncChunk a1 = this->ClaimOrDie(job.job_id, "replica-a", At(1), absl::Hours(1));
  const SyncChunk b2 = this->ClaimOrDie(job.job_id, "replica-b", At(1), absl::Hours(1));
  EXPECT_TRUE(this->NothingToClaim(job.job_id, At(2)));

  ASSERT_TRUE(this->jobs().ReleaseLeases("replica-a").ok());
  EXPECT_EQ(this->ClaimOrDie(job.job_id, "replica-c", At(2)).chunk_index, a0.chunk_index);
  EXPECT_EQ(this->ClaimOrDie(job.job_id, "replica-c", At(2)).chunk_index, a1.chunk_index);
  EXPECT_TRUE(this->NothingToClaim(job.job_id, At(2)));  // replica-b's lease holds
  EXPECT_TRUE(this->jobs().RenewLease(b2, At(3), absl::Hours(1)).ok());
  EXPECT_EQ(ReasonOf(this->jobs().RenewLease(a0, At(3), absl::Hours(1))),
            kReasonSyncChunkLeaseLost);
  ASSERT_TRUE(this->jobs().Cancel(job.job_id, At(4)).ok());
}

// ---------------------------------------------------------------- completing chunks

TYPED_TEST_P(SyncJobTest, CompleteChunkWritesResultsHistoryAndCounters) {
  const std::string license_class = this->OwnClass();
  const std::vector<int64_t> ids = this->CreateLicenses(8, license_class);
  // Before the job: ids[1] In Sync at version 2, ids[6] In Sync with the
  // error of a later failed attempt.
  absl::StatusOr<LicenseRecord> confirmed_before =
      this->repo().RecordSync(ids[1], this->InSyncAt(At(5)));
  ASSERT_TRUE(confirmed_before.ok()) << confirmed_before.status();
  ASSERT_TRUE(this->repo().RecordSync(ids[6], this->InSyncAt(At(5))).ok());
  absl::StatusOr<LicenseRecord> errored_before =
      this->repo().RecordSyncFailure(ids[6], {"timeout", At(6), ""});
  ASSERT_TRUE(errored_before.ok()) << errored_before.status();
  const LicenseRecord placing_before = this->LicenseOrDie(ids[3]);

  const SyncJobRecord job = this->StartOrDie(this->NewJob(this->ScopeOf(license_class), 7), At(10));
  ASSERT_EQ(job.chunk_count, 2);  // 7 licenses, then 1
  const SyncChunk chunk = this->ClaimOrDie(job.job_id, "replica-a", At(11));
  ASSERT_EQ(chunk.last_license_id, ids[6]);
  this->SetOrderPlacing(ids[3]);  // an upgrade order started while KA was asked

  const absl::Time t = At(20);
  LicenseSyncOutcome skipped_by_runner;
  skipped_by_runner.license_id = ids[5];
  skipped_by_runner.skipped = true;
  skipped_by_runner.sync_time = t;
  const std::vector<LicenseSyncOutcome> outcomes = {
      this->InSyncOutcome(ids[0], t),     // never synced -> In Sync: changed
      this->InSyncOutcome(ids[1], t),     // In Sync again: confirmed
      this->NotInSyncOutcome(ids[2], t),  // never synced -> Not In Sync: changed
      this->InSyncOutcome(ids[3], t),     // order being placed: skipped
      this->FailedOutcome(ids[4], t),     // failed attempt
      skipped_by_runner,                  // skipped by the runner
      this->InSyncOutcome(ids[6], t),     // confirmed, and the error cleared
  };
  const SyncJobRecord after = this->CompleteOrDie(chunk, outcomes, At(21));
  EXPECT_EQ(after.state, SyncJobState::kRunning);
  EXPECT_EQ(
      after.counts,
      (SyncJobCounts{
          .total = 8, .processed = 7, .in_sync = 3, .not_in_sync = 1, .errors = 1, .skipped = 2}));
  EXPECT_EQ(after.chunks_done, 1);
  EXPECT_EQ(this->GetOrDie(job.job_id), after);

  const LicenseRecord changed = this->LicenseOrDie(ids[0]);
  EXPECT_EQ(changed.sync, this->InSyncAt(t).result);
  EXPECT_EQ(changed.version, 2);
  EXPECT_EQ(changed.update_time, t);
  EXPECT_EQ(changed.last_synced_at, absl::optional<absl::Time>(t));

  const LicenseRecord confirmed = this->LicenseOrDie(ids[1]);
  LicenseRecord expected_confirmed = *confirmed_before;
  expected_confirmed.last_synced_at = t;  // the etag and update_time stay
  EXPECT_EQ(confirmed, expected_confirmed);

  const LicenseRecord not_in_sync = this->LicenseOrDie(ids[2]);
  EXPECT_EQ(not_in_sync.sync, this->NotInSyncAt(t).result);
  EXPECT_EQ(not_in_sync.version, 2);

  LicenseRecord expected_placing = placing_before;
  expected_placing.order_placing = true;
  EXPECT_EQ(this->LicenseOrDie(ids[3]), expected_placing);
  EXPECT_TRUE(this->HistoryOldestFirst(ids[3]).empty());

  const LicenseRecord failed = this->LicenseOrDie(ids[4]);
  EXPECT_EQ(failed.sync.status, SyncStatus::kNeverSynced);
  EXPECT_EQ(failed.version, 1);
  EXPECT_EQ(failed.last_sync_error, this->FailedOutcome(ids[4], t).error);
  EXPECT_FALSE(failed.last_synced_at.has_value());

  EXPECT_EQ(this->LicenseOrDie(ids[5]).version, 1);
  EXPECT_TRUE(this->HistoryOldestFirst(ids[5]).empty());

  const LicenseRecord recovered = this->LicenseOrDie(ids[6]);
  EXPECT_EQ(recovered.last_sync_error, "");
  EXPECT_EQ(recovered.version, errored_before->version);
  EXPECT_EQ(recovered.last_synced_at, absl::optional<absl::Time>(t));

  // Confirmed results leave no history entry: the entries before the job
  // are the last ones.
  for (size_t i : {1u, 6u}) {
    const std::vector<SyncHistoryEntry> history = this->HistoryOldestFirst(ids[i]);
    ASSERT_FALSE(history.empty()) << i;
    EXPECT_NE(history.back().job_id, job.job_id) << i;
  }
  // One history entry per changed result and failed attempt, tagged with
  // the job.
  for (size_t i : {0u, 2u, 4u}) {
    const std::vector<SyncHistoryEntry> history = this->HistoryOldestFirst(ids[i]);
    ASSERT_FALSE(history.empty()) << i;
    const SyncHistoryEntry& entry = history.back();
    EXPECT_EQ(entry.job_id, job.job_id) << i;
    EXPECT_EQ(entry.sync_time, t) << i;
    EXPECT_EQ(entry.key_number, this->LicenseOrDie(ids[i]).config.key_number) << i;
    EXPECT_EQ(entry.result, outcomes[i].result) << i;
    EXPECT_EQ(entry.error, outcomes[i].error) << i;
    EXPECT_EQ(entry.ka_key_number, outcomes[i].ka_key_number) << i;
  }

  // The last chunk ends the job and frees the slot for the next one.
  const SyncChunk last = this->ClaimOrDie(job.job_id, "replica-b", At(30));
  const SyncJobRecord ended =
      this->CompleteOrDie(last, {this->NotInSyncOutcome(ids[7], At(31))}, At(32));
  EXPECT_EQ(ended.state, SyncJobState::kSucceeded);
  EXPECT_EQ(ended.end_time, absl::optional<absl::Time>(At(32)));
  EXPECT_EQ(ended.counts.processed, 8);
  EXPECT_EQ(ended.counts.not_in_sync, 2);
  EXPECT_EQ(ended.chunks_done, 2);
  EXPECT_EQ(this->GetOrDie(job.job_id), ended);
  absl::StatusOr<absl::optional<SyncJobRecord>> running = this->jobs().Running();
  ASSERT_TRUE(running.ok()) << running.status();
  EXPECT_FALSE(running->has_value());
  const SyncJobRecord next =
      this->StartOrDie(this->NewJob(this->ScopeOf(license_class), 7), At(40));
  EXPECT_EQ(next.state, SyncJobState::kRunning);
  ASSERT_TRUE(this->jobs().Cancel(next.job_id, At(41)).ok());
}

// A license that changed after the runner read it (an upgrade order
// completed while KA was asked) keeps what it has: the runner's result
// compared an older version and counts as skipped.
TYPED_TEST_P(SyncJobTest, CompleteChunkSkipsAResultComparedWithAnOlderVersion) {
  const std::string license_class = this->OwnClass();
  const std::vector<int64_t> ids = this->CreateLicenses(2, license_class);
  const SyncJobRecord job = this->StartOrDie(this->NewJob(this->ScopeOf(license_class), 10), At(10));
  const SyncChunk chunk = this->ClaimOrDie(job.job_id, "replica-a", At(11));
  const LicenseRecord read = this->LicenseOrDie(ids[0]);
  ASSERT_TRUE(this->repo().RecordSync(ids[0], this->NotInSyncAt(At(12))).ok());  // changes it meanwhile
  const LicenseRecord changed = this->LicenseOrDie(ids[0]);
  ASSERT_NE(changed.version, read.version);

  LicenseSyncOutcome stale = this->InSyncOutcome(ids[0], At(20));
  stale.compared_version = read.version;
  LicenseSyncOutcome current = this->InSyncOutcome(ids[1], At(20));
  current.compared_version = this->LicenseOrDie(ids[1]).version;
  const SyncJobRecord after = this->CompleteOrDie(chunk, {stale, current}, At(21));
  EXPECT_EQ(after.counts, (SyncJobCounts{.total = 2, .processed = 2, .in_sync = 1, .skipped = 1}));
  EXPECT_EQ(this->LicenseOrDie(ids[0]), changed) << "the stale result wrote nothing";
  EXPECT_EQ(this->LicenseOrDie(ids[1]).sync, this->InSyncAt(At(20)).result);
}

TYPED_TEST_P(SyncJobTest, CompleteChunkRefusesOutcomesThatAreNotTheChunks) {
  const std::string license_class = this->OwnClass();
  const std::vector<int64_t> ids = this->CreateLicenses(4, license_class);
  const SyncJobRecord job = this->StartOrDie(this->NewJob(this->ScopeOf(license_class), 2), At(1));
  const SyncChunk chunk = this->ClaimOrDie(job.job_id, "replica-a", At(1));

  for (const std::vector<LicenseSyncOutcome>& bad : std::vector<std::vector<LicenseSyncOutcome>>{
           {this->InSyncOutcome(ids[2], At(2))},  // next chunk's
           {this->InSyncOutcome(ids[0], At(2)), this->InSyncOutcome(ids[0], At(2))},  // twice
       }) {
    absl::StatusOr<SyncJobRecord> refused = this->jobs().CompleteChunk(chunk, bad, At(2));
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << refused.status();
  }
  // Nothing was written, and the claim still holds.
  EXPECT_EQ(this->LicenseOrDie(ids[0]).version, 1);
  const SyncJobRecord after =
      this->CompleteOrDie(chunk, this->InSyncOutcomesOf(job, chunk, At(3)), At(3));
  EXPECT_EQ(after.counts.processed, 2);
  ASSERT_TRUE(this->jobs().Cancel(job.job_id, At(4)).ok());
}

TYPED_TEST_P(SyncJobTest, ConcurrentCompletionsCountEveryLicenseOnce) {
  const std::string license_class = this->OwnClass();
  this->CreateLicenses(600, license_class);
  const SyncJobRecord job = this->StartOrDie(this->NewJob(this->ScopeOf(license_class), 25), At(1));
  ASSERT_EQ(job.chunk_count, 24);

  constexpr int kThreads = 4;
  std::latch start(kThreads);
  absl::Mutex mutex;
  std::vector<absl::Status> failures;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string owner = absl::StrCat("replica-", t);
      start.arrive_and_wait();
      for (;;) {
        absl::StatusOr<absl::optional<SyncChunk>> chunk =
            this->jobs().ClaimChunk(job.job_id, owner, At(2), absl::Minutes(1));
        absl::Status status = chunk.status();
        if (status.ok() && !chunk->has_value()) return;
        if (status.ok()) {
          // Both results, so that the writes differ from row to row.
          absl::StatusOr<std::vector<LicenseRecord>> licenses =
              this->jobs().LicensesOf(job, **chunk);
          status = licenses.status();
          std::vector<LicenseSyncOutcome> outcomes;
          for (const LicenseRecord& license : licenses.value_or(std::vector<LicenseRecord>{})) {
            const int64_t id = license.license_id;
            outcomes.push_back(id % 2 == 0 ? this->InSyncOutcome(id, At(3))
                                           : this->NotInSyncOutcome(id, At(3)));
          }
          if (status.ok()) status = this->jobs().CompleteChunk(**chunk, outcomes, At(4)).status();
        }
        if (!status.ok()) {
          absl::MutexLock lock(&mutex);
          failures.push_back(status);
          return;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(failures, ::testing::IsEmpty());

  const SyncJobRecord ended = this->GetOrDie(job.job_id);
  EXPECT_EQ(ended.state, SyncJobState::kSucceeded);
  EXPECT_EQ(ended.chunks_done, 24);
  EXPECT_EQ(ended.counts.processed, 600);
  EXPECT_EQ(ended.counts.in_sync + ended.counts.not_in_sync, 600);
  for (const LicenseRecord& license : this->ListAll(this->ScopeOf(license_class))) {
    EXPECT_EQ(license.version, 2);
    EXPECT_EQ(this->HistoryOldestFirst(license.license_id).size(), 1u);
  }
}

// ---------------------------------------------------------------- ending jobs

TYPED_TEST_P(SyncJobTest, CancelEndsTheJobKeepsItsCountsAndFreesTheSlot) {
  const std::string license_class = this->OwnClass();
  const std::vector<int64_t> ids = this->CreateLicenses(4, license_class);
  const SyncJobRecord job = this->StartOrDie(this->NewJob(this->ScopeOf(license_class), 2), At(1));
  const SyncChunk done = this->ClaimOrDie(job.job_id, "replica-a", At(2));
  const SyncChunk in_flight = this->ClaimOrDie(job.job_id, "replica-b", At(2));
  this->CompleteOrDie(done, this->InSyncOutcomesOf(job, done, At(3)), At(3));

  absl::StatusOr<SyncJobRecord> cancelled = this->jobs().Cancel(job.job_id, At(4));
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->state, SyncJobState::kCancelled);
  EXPECT_TRUE(cancelled->cancel_requested);
  EXPECT_EQ(cancelled->end_time, absl::optional<absl::Time>(At(4)));
  EXPECT_EQ(cancelled->counts, (SyncJobCounts{.total = 4, .processed = 2, .in_sync = 2}));
  EXPECT_EQ(this->GetOrDie(job.job_id), *cancelled);

  // Ending it again changes nothing.
  absl::StatusOr<SyncJobRecord> again = this->jobs().Cancel(job.job_id, At(5));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, *cancelled);
  absl::StatusOr<SyncJobRecord> failed = this->jobs().Fail(job.job_id, "too late", At(5));
  ASSERT_TRUE(failed.ok()) << failed.status();
  EXPECT_EQ(*failed, *cancelled);

  // Nothing more is claimed or written for it.
  EXPECT_TRUE(this->NothingToClaim(job.job_id, At(6)));
  absl::StatusOr<SyncJobRecord> late =
      this->jobs().CompleteChunk(in_flight, this->InSyncOutcomesOf(job, in_flight, At(6)), At(6));
  EXPECT_EQ(late.status().code(), absl::StatusCode::kFailedPrecondition) << late.status();
  EXPECT_EQ(ReasonOf(late.status()), kReasonSyncJobEnded);
  EXPECT_EQ(this->LicenseOrDie(ids[2]).version, 1);
  EXPECT_TRUE(this->HistoryOldestFirst(ids[2]).empty());
  EXPECT_EQ(this->GetOrDie(job.job_id), *cancelled);

  absl::StatusOr<absl::optional<SyncJobRecord>> running = this->jobs().Running();
  ASSERT_TRUE(running.ok()) << running.status();
  EXPECT_FALSE(running->has_value());
  const SyncJobRecord next = this->StartOrDie(this->NewJob(this->ScopeOf(license_class), 2), At(7));
  ASSERT_TRUE(this->jobs().Cancel(next.job_id, At(8)).ok());
}

TYPED_TEST_P(SyncJobTest, FailEndsTheJobWithItsError) {
  const std::string license_class = this->OwnClass();
  this->CreateLicenses(2, license_class);
  const SyncJobRecord job = this->StartOrDie(this->NewJob(this->ScopeOf(license_class), 1), At(1));
  absl::StatusOr<SyncJobRecord> failed =
      this->jobs().Fail(job.job_id, "the scope's license class was removed", At(2));
  ASSERT_TRUE(failed.ok()) << failed.status();
  EXPECT_EQ(failed->state, SyncJobState::kFailed);
  EXPECT_EQ(failed->error, "the scope's license class was removed");
  EXPECT_EQ(failed->end_time, absl::optional<absl::Time>(At(2)));
  EXPECT_FALSE(failed->cancel_requested);
  EXPECT_EQ(this->GetOrDie(job.job_id), *failed);
  absl::StatusOr<absl::optional<SyncJobRecord>> running = this->jobs().Running();
  ASSERT_TRUE(running.ok()) << running.status();
  EXPECT_FALSE(running->has_value());
}

TYPED_TEST_P(SyncJobTest, UnknownJobsAreNotFound) {
  for (const absl::Status& status : {
           this->jobs().Get("no-such-job").status(),
           this->jobs().Cancel("no-such-job", At(1)).status(),
           this->jobs().Fail("no-such-job", "error", At(1)).status(),
           this->jobs().ClaimChunk("no-such-job", "replica-a", At(1), absl::Minutes(1)).status(),
       }) {
    EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;
    EXPECT_EQ(ReasonOf(status), kReasonSyncJobNotFound) << status;
  }
}

// ---------------------------------------------------------------- listing and retention

TYPED_TEST_P(SyncJobTest, ListIsNewestFirstAndPagedByKeyset) {
  // Far in the past, so that no other test's job falls in the pages read.
  const absl::Time base = At(-20'000'000);
  std::vector<SyncJobRecord> created;  // oldest first
  for (int i = 0; i < 5; ++i) {
    // Jobs 1 and 2 share their creation time: the job id orders them.
    const absl::Time at = base + absl::Seconds(i == 2 ? 1 : i);
    NewSyncJob job = this->NewJob(this->ScopeOf(this->OwnClass()), 10);
    job.job_id = absl::StrCat("list-job-", i);
    created.push_back(this->StartOrDie(job, at));  // no license: ends at once
  }
  const int64_t cursor = absl::ToUnixMicros(base + absl::Seconds(100));

  std::vector<std::string> seen;
  int64_t before_micros = cursor;
  std::string before_job_id;
  int pages = 0;
  for (;;) {
    absl::StatusOr<std::vector<SyncJobRecord>> page =
        this->jobs().List(SyncJobState::kSucceeded, before_micros, before_job_id, 2);
    ASSERT_TRUE(page.ok()) << page.status();
    if (page->empty()) break;
    ++pages;
    for (const SyncJobRecord& job : *page) seen.push_back(job.job_id);
    before_micros = absl::ToUnixMicros(page->back().create_time);
    before_job_id = page->back().job_id;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(seen, ::testing::ElementsAre("list-job-4", "list-job-3", "list-job-2", "list-job-1",
                                           "list-job-0"));

  absl::StatusOr<std::vector<SyncJobRecord>> other_state =
      this->jobs().List(SyncJobState::kCancelled, cursor, "", 10);
  ASSERT_TRUE(other_state.ok()) << other_state.status();
  EXPECT_THAT(*other_state, ::testing::IsEmpty());
  absl::StatusOr<std::vector<SyncJobRecord>> any_state =
      this->jobs().List(absl::nullopt, cursor, "", 1);
  ASSERT_TRUE(any_state.ok()) << any_state.status();
  EXPECT_THAT(*any_state, ::testing::ElementsAre(created[4]));

  EXPECT_EQ(this->jobs().List(absl::nullopt, 0, "", 0).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TYPED_TEST_P(SyncJobTest, PruneRemovesJobsEndedBeforeTheCutoffWithTheirChunks) {
  // Far in the past, before every other test's jobs (ListIsNewestFirst's
  // included), so that only this test's jobs end before the cutoffs.
  const absl::Time base = At(-30'000'000);
  const std::string license_class = this->OwnClass();
  this->CreateLicenses(3, license_class);
  const SyncJobRecord empty =
      this->StartOrDie(this->NewJob(this->ScopeOf(license_class + "_NONE"), 1), base);
  const SyncJobRecord cancelled =
      this->StartOrDie(this->NewJob(this->ScopeOf(license_class), 1), base + absl::Seconds(1));
  ASSERT_TRUE(this->jobs().Cancel(cancelled.job_id, base + absl::Seconds(20)).ok());
  const SyncJobRecord running =
      this->StartOrDie(this->NewJob(this->ScopeOf(license_class), 1), base + absl::Seconds(30));
  EXPECT_EQ(this->ChunkRowsOf(cancelled.job_id), 3);

  absl::StatusOr<int64_t> pruned = this->jobs().PruneEndedBefore(base + absl::Seconds(10));
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, 1);
  EXPECT_EQ(this->jobs().Get(empty.job_id).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(this->jobs().Get(cancelled.job_id).ok());

  pruned = this->jobs().PruneEndedBefore(base + absl::Seconds(21));
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, 1);
  EXPECT_EQ(this->jobs().Get(cancelled.job_id).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(this->ChunkRowsOf(cancelled.job_id), 0);

  // A running job has not ended: it stays, whatever the cutoff.
  pruned = this->jobs().PruneEndedBefore(base + absl::Seconds(21));
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, 0);
  EXPECT_TRUE(this->jobs().Get(running.job_id).ok());
  EXPECT_EQ(this->ChunkRowsOf(running.job_id), 3);
  ASSERT_TRUE(this->jobs().Cancel(running.job_id, base + absl::Seconds(40)).ok());
  // Leave nothing behind in ListIsNewestFirst's window.
  pruned = this->jobs().PruneEndedBefore(base + absl::Seconds(41));
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, 1);
}

// ---------------------------------------------------------------- bulk jobs

TYPED_TEST_P(SyncJobTest, ABulkStartKeepsItsRangesWaitingBehindItsFirstPage) {
  const std::string license_class = this->OwnClass();
  this->CreateLicenses(5, license_class);
  const SyncJobRecord job =
      this->StartOrDie(this->NewBulkJob(this->ScopeOf(license_class), 2), At(1));
  EXPECT_TRUE(job.bulk);
  EXPECT_EQ(job.state, SyncJobState::kRunning);
  EXPECT_EQ(job.counts, (SyncJobCounts{.total = 5}));
  EXPECT_EQ(job.chunk_count, 3);  // pages do not count
  EXPECT_EQ(job.chunks_done, 0);
  EXPECT_EQ(this->GetOrDie(job.job_id), job);

  // Three ranges waiting, then the first page.
  EXPECT_EQ(this->ChunkRowsOf(job.job_id), 4);
  for (int64_t index = 0; index < 3; ++index) EXPECT_EQ(this->ChunkStateOf(job.job_id, index), 0);
  EXPECT_EQ(this->ChunkStateOf(job.job_id, 3), 1);

  // The first claim gets the page, and nothing else is claimable.
  const SyncChunk page = this->ClaimOrDie(job.job_id, "replica-a", At(2), absl::Minutes(5));
  EXPECT_TRUE(page.is_page());
  EXPECT_EQ(page.page_token, absl::optional<std::string>(""));
  EXPECT_EQ(page.chunk_index, 3);
  EXPECT_EQ(page.first_license_id, 0);
  EXPECT_EQ(page.last_license_id, 0);
  EXPECT_EQ(page.license_count, 0);
  EXPECT_EQ(page.owner, "replica-a");
  EXPECT_EQ(page.lease_expires, At(2) + absl::Minutes(5));
  EXPECT_EQ(page.attempts, 1);
  EXPECT_TRUE(this->NothingToClaim(job.job_id, At(3)));
  EXPECT_TRUE(this->jobs().RenewLease(page, At(4), absl::Minutes(5)).ok());
  ASSERT_TRUE(this->jobs().Cancel(job.job_id, At(5)).ok());

  // A bulk job over no license ends as it starts, without a page.
  const SyncJobRecord empty =
      this->StartOrDie(this->NewBulkJob(this->ScopeOf(license_class + "_NONE"), 2), At(6));
  EXPECT_TRUE(empty.bulk);
  EXPECT_EQ(empty.state, SyncJobState::kSucceeded);
  EXPECT_EQ(empty.chunk_count, 0);
  EXPECT_EQ(this->ChunkRowsOf(empty.job_id), 0);
}

TYPED_TEST_P(SyncJobTest, CompletePageRecordsTheNextPageOnlyForTheHolder) {
  const std::string license_class = this->OwnClass();
  this->CreateLicenses(3, license_class);
  const SyncJobRecord job =
      this->StartOrDie(this->NewBulkJob(this->ScopeOf(license_class), 10), At(100));
  ASSERT_EQ(job.chunk_count, 1);
  const SyncChunk first = this->ClaimOrDie(job.job_id, "replica-a", At(100), absl::Seconds(30));
  ASSERT_EQ(first.chunk_index, 1);
  EXPECT_EQ(this->ChunkRowsOf(job.job_id), 2);
  // No next page before the page is done: one page is in flight at a time.
  EXPECT_TRUE(this->NothingToClaim(job.job_id, At(100)));

  // Bad input, nothing written: a token longer than its column, a range
  // completed as a page.
  absl::StatusOr<SyncJobRecord> refused = this->jobs().CompletePage(first, {}, std::string(256, 't'), At(101));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << refused.status();
  ASSERT_EQ(FieldViolationsOf(refused.status()).size(), 1u) << refused.status();
  EXPECT_EQ(FieldViolationsOf(refused.status())[0].field, "next_page_token");
  SyncChunk range = first;
  range.page_token.reset();
  EXPECT_EQ(this->jobs().CompletePage(range, {}, "token-2", At(101)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(this->ChunkRowsOf(job.job_id), 2);
  EXPECT_EQ(this->ChunkStateOf(job.job_id, 1), 2);  // still claimed

  // Its lease expired and was taken over: the first holder records nothing.
  const SyncChunk taken = this->ClaimOrDie(job.job_id, "replica-c", At(131), absl::Seconds(30));
  EXPECT_EQ(taken.chunk_index, 1);
  EXPECT_EQ(taken.attempts, 2);
  absl::StatusOr<SyncJobRecord> lost = this->jobs().CompletePage(first, {}, "token-late", At(132));
  EXPECT_EQ(lost.status().code(), absl::StatusCode::kFailedPrecondition) << lost.status();
  EXPECT_EQ(ReasonOf(lost.status()), kReasonSyncChunkLeaseLost);
  EXPECT_EQ(this->ChunkRowsOf(job.job_id), 2);

  // The holder's commit records the next page, claimable at once.
  this->CompletePageOrDie(taken, {}, "token-1", At(132));
  EXPECT_EQ(this->ChunkRowsOf(job.job_id), 3);
  const SyncChunk second = this->ClaimOrDie(job.job_id, "replica-b", At(133), absl::Seconds(30));
  EXPECT_EQ(second.chunk_index, 2);
  EXPECT_EQ(second.page_token, absl::optional<std::string>("token-1"));
  EXPECT_TRUE(this->NothingToClaim(job.job_id, At(133)));
  ASSERT_TRUE(this->jobs().Cancel(job.job_id, At(134)).ok());
}

TYPED_TEST_P(SyncJobTest, LicensesForKeysFindsTheJobsLicensesNoPageCovered) {
  const std::string license_class = this->OwnClass();
  // Of another scope, and older than the job's licenses.
  const int64_t other =
      this->CreateOrDie(this->NewFor(this->UniqueKey(), license_class + "_OTHER")).license_id;
  // More than one statement's worth of key bases.
  const std::vector<int64_t> ids = this->CreateLicenses(1205, license_class);
  const SyncJobRecord job =
      this->StartOrDie(this->NewBulkJob(this->ScopeOf(license_class), 500), At(1));
  const int64_t newer = this->CreateOrDie(this->NewFor(this->UniqueKey(), license_class), At(2))
                            .license_id;  // created after the job started

  std::vector<std::string> bases = this->KeyBasesOf(ids);
  std::reverse(bases.begin(), bases.end());
  bases.push_back(this->KeyBaseOf(other));
  bases.push_back(this->KeyBaseOf(newer));
  bases.push_back("PLSK.99999998");  // unknown to billing
  bases.push_back(this->KeyBaseOf(ids[7]));  // twice
  EXPECT_EQ(this->IdsForKeys(job, bases), ids);
  EXPECT_EQ(this->IdsForKeys(job, {this->KeyBaseOf(ids[2])}), std::vector<int64_t>{ids[2]});
  EXPECT_THAT(this->IdsForKeys(job, {}), ::testing::IsEmpty());

  // Once a page wrote some, they are left out.
  const SyncChunk page = this->ClaimOrDie(job.job_id, "replica-a", At(3));
  this->CompletePageOrDie(
      page, {this->InSyncOutcome(ids[0], At(4)), this->InSyncOutcome(ids[2], At(4))}, "", At(4));
  EXPECT_EQ(this->IdsForKeys(job, this->KeyBasesOf({ids[0], ids[1], ids[2], ids[3]})),
            (std::vector<int64_t>{ids[1], ids[3]}));
  ASSERT_TRUE(this->jobs().Cancel(job.job_id, At(5)).ok());
}

TYPED_TEST_P(SyncJobTest, CompletePageWritesItsLicensesAndLeavesAloneWhatIsNotItsToWrite) {
  const std::string license_class = this->OwnClass();
  const int64_t other =
      this->CreateOrDie(this->NewFor(this->UniqueKey(), license_class + "_OTHER")).license_id;
  const std::vector<int64_t> ids = this->CreateLicenses(7, license_class);
  absl::StatusOr<LicenseRecord> confirmed_before =
      this->repo().RecordSync(ids[1], this->InSyncAt(At(5)));
  ASSERT_TRUE(confirmed_before.ok()) << confirmed_before.status();
  const SyncJobRecord job =
      this->StartOrDie(this->NewBulkJob(this->ScopeOf(license_class), 3), At(10));
  ASSERT_EQ(job.chunk_count, 3);
  const int64_t newer = this->CreateOrDie(this->NewFor(this->UniqueKey(), license_class), At(11))
                            .license_id;
  this->SetOrderPlacing(ids[5]);

  // Page 0 writes ids[0].
  const SyncChunk page0 = this->ClaimOrDie(job.job_id, "replica-a", At(12));
  const SyncJobRecord after0 =
      this->CompletePageOrDie(page0, {this->NotInSyncOutcome(ids[0], At(13))}, "token-1", At(13));
  EXPECT_EQ(after0.counts, (SyncJobCounts{.total = 7, .processed = 1, .not_in_sync = 1}));
  EXPECT_EQ(after0.chunks_done, 0);
  EXPECT_EQ(after0.state, SyncJobState::kRunning);
  const SyncChunk page1 = this->ClaimOrDie(job.job_id, "replica-b", At(14));
  ASSERT_EQ(page1.page_token, absl::optional<std::string>("token-1"));

  // Refused, nothing written: a license twice; a page completed as a
  // range; a next page token longer than any KA issues.
  absl::StatusOr<SyncJobRecord> refused = this->jobs().CompletePage(
      page1, {this->InSyncOutcome(ids[1], At(15)), this->InSyncOutcome(ids[1], At(15))}, "",
      At(15));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << refused.status();
  refused = this->jobs().CompleteChunk(page1, {this->InSyncOutcome(ids[1], At(15))}, At(15));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << refused.status();
  refused = this->jobs().CompletePage(page1, {this->InSyncOutcome(ids[1], At(15))},
                                      std::string(256, 't'), At(15));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << refused.status();
  EXPECT_EQ(this->ChunkRowsOf(job.job_id), 5);  // 3 ranges, 2 pages
  EXPECT_EQ(this->LicenseOrDie(ids[1]), *confirmed_before);
  EXPECT_EQ(this->GetOrDie(job.job_id), after0);

  const absl::Time t = At(20);
  LicenseSyncOutcome skipped_by_runner;
  skipped_by_runner.license_id = ids[4];
  skipped_by_runner.skipped = true;
  skipped_by_runner.sync_time = t;
  LicenseSyncOutcome stale = this->InSyncOutcome(ids[6], t);
  stale.compared_version = 0;  // the license changed since: left for the sweep
  const std::vector<LicenseSyncOutcome> outcomes = {
      this->InSyncOutcome(ids[0], t),       // written by page 0: left alone
      this->InSyncOutcome(ids[1], t),       // confirmed
      this->NotInSyncOutcome(ids[2], t),    // changed
      this->FailedOutcome(ids[3], t),       // failed attempt
      skipped_by_runner,                    // left for the sweep
      this->InSyncOutcome(ids[5], t),       // order being placed: left for the sweep
      this->InSyncOutcome(other, t),        // another scope
      this->InSyncOutcome(newer, t),        // created after the job started
      this->InSyncOutcome(999'999'999, t),  // no such license
      stale,
  };
  const SyncJobRecord after1 = this->CompletePageOrDie(page1, outcomes, "", At(21));
  EXPECT_EQ(after1.counts, (SyncJobCounts{.total = 7,
                                          .processed = 4,
                                          .in_sync = 1,
                                          .not_in_sync = 2,
                                          .errors = 1}));
  // The first range (ids[0..2]) the pages wrote whole: done with them.
  EXPECT_EQ(after1.chunks_done, 1);
  EXPECT_EQ(this->ChunkStateOf(job.job_id, 0), 3);
  EXPECT_EQ(after1.state, SyncJobState::kRunning);
  EXPECT_EQ(this->GetOrDie(job.job_id), after1);

  const LicenseRecord first = this->LicenseOrDie(ids[0]);
  EXPECT_EQ(first.sync, this->NotInSyncAt(At(13)).result);
  EXPECT_EQ(first.last_synced_at, absl::optional<absl::Time>(At(13)));
  EXPECT_EQ(this->HistoryOldestFirst(ids[0]).size(), 1u);
  LicenseRecord expected_confirmed = *confirmed_before;
  expected_confirmed.last_synced_at = t;  // the etag stays
  EXPECT_EQ(this->LicenseOrDie(ids[1]), expected_confirmed);
  EXPECT_EQ(this->LicenseOrDie(ids[2]).sync, this->NotInSyncAt(t).result);
  EXPECT_EQ(this->LicenseOrDie(ids[2]).version, 2);
  EXPECT_EQ(this->LicenseOrDie(ids[3]).last_sync_error, this->FailedOutcome(ids[3], t).error);
  EXPECT_EQ(this->LicenseOrDie(ids[3]).version, 1);
  // The confirmed result (ids[1]) leaves no entry; the change and the
  // failed attempt do.
  ASSERT_FALSE(this->HistoryOldestFirst(ids[1]).empty());
  EXPECT_NE(this->HistoryOldestFirst(ids[1]).back().job_id, job.job_id);
  for (size_t i : {2u, 3u}) {
    const std::vector<SyncHistoryEntry> history = this->HistoryOldestFirst(ids[i]);
    ASSERT_FALSE(history.empty()) << i;
    EXPECT_EQ(history.back().job_id, job.job_id) << i;
    EXPECT_EQ(history.back().sync_time, t) << i;
    EXPECT_EQ(history.back().result, outcomes[i].result) << i;
  }
  for (size_t i : {0u, 1u, 2u, 3u}) EXPECT_TRUE(this->LastSyncedBy(ids[i], job.job_id)) << i;
  for (int64_t id : {ids[4], ids[5], ids[6], other, newer}) {
    EXPECT_TRUE(this->LastSyncedBy(id, "")) << id;
    EXPECT_EQ(this->LicenseOrDie(id).version, 1) << id;
    EXPECT_TRUE(this->HistoryOldestFirst(id).empty()) << id;
  }

  // The last page made the other ranges claimable; they hold what no page
  // wrote.
  std::vector<int64_t> swept;
  SyncJobRecord latest = after1;
  for (int64_t index = 1; index < 3; ++index) {
    const SyncChunk range = this->ClaimOrDie(job.job_id, "replica-c", At(30));
    EXPECT_EQ(range.chunk_index, index);
    EXPECT_FALSE(range.is_page());
    absl::StatusOr<SyncJobRecord> as_page = this->jobs().CompletePage(range, {}, "", At(30));
    EXPECT_EQ(as_page.status().code(), absl::StatusCode::kInvalidArgument) << as_page.status();
    const std::vector<int64_t> uncovered = this->IdsOfChunk(job, range);
    swept.insert(swept.end(), uncovered.begin(), uncovered.end());
    latest = this->CompleteOrDie(range, this->InSyncOutcomesFor(uncovered, At(31)), At(31));
  }
  EXPECT_EQ(swept, (std::vector<int64_t>{ids[4], ids[5], ids[6]}));
  EXPECT_EQ(latest.state, SyncJobState::kSucceeded);
  EXPECT_EQ(latest.chunks_done, 3);
  // ids[5]'s order is still being placed: the sweep counts it skipped.
  EXPECT_EQ(latest.counts, (SyncJobCounts{.total = 7,
                                          .processed = 7,
                                          .in_sync = 3,
                                          .not_in_sync = 2,
                                          .errors = 1,
                                          .skipped = 1}));
}

TYPED_TEST_P(SyncJobTest, TheRangesWaitForEveryPageInFlight) {
  const std::string license_class = this->OwnClass();
  const std::vector<int64_t> ids = this->CreateLicenses(4, license_class);
  const SyncJobRecord job =
      this->StartOrDie(this->NewBulkJob(this->ScopeOf(license_class), 2), At(1));
  const SyncChunk page0 = this->ClaimOrDie(job.job_id, "replica-a", At(1));
  // A replica of the release before this one recorded the next page ahead,
  // before completing its own (that release's AddNextPage), and another
  // took it: during a rolling upgrade two pages can be in flight.
  ASSERT_TRUE(this->raw()
                  .Execute(absl::StrCat("INSERT INTO sync_job_chunks (job_id, chunk_index, first_license_id, "
                                        "last_license_id, license_count, state, owner, lease_expires_at, "
                                        "attempts, page_token) VALUES ('",
                                        job.job_id, "', ", page0.chunk_index + 1, ", 0, 0, 0, 1, '', 0, 0, 'token-1')"))
                  .ok());
  const SyncChunk page1 = this->ClaimOrDie(job.job_id, "replica-b", At(1));
  ASSERT_EQ(page1.chunk_index, page0.chunk_index + 1);

  // KA has no page after page 1, which completes first: page 0 is still
  // being processed, so a range swept now could count its licenses twice.
  this->CompletePageOrDie(page1, this->InSyncOutcomesFor({ids[2], ids[3]}, At(2)), "", At(2));
  EXPECT_TRUE(this->NothingToClaim(job.job_id, At(2)));
  EXPECT_EQ(this->ChunkStateOf(job.job_id, 0), 0);
  // Page 0 records the same next page again: the first record stays. KA's
  // pages did not list ids[1].
  const SyncJobRecord after0 =
      this->CompletePageOrDie(page0, this->InSyncOutcomesFor({ids[0]}, At(3)), "token-1", At(3));
  EXPECT_EQ(this->ChunkRowsOf(job.job_id), 4);

  // Every page done: the range the pages wrote whole (ids[2..3]) is done
  // with them, the other opens with what they left.
  EXPECT_EQ(after0.chunks_done, 1);
  EXPECT_EQ(after0.state, SyncJobState::kRunning);
  const SyncChunk range = this->ClaimOrDie(job.job_id, "replica-a", At(4));
  EXPECT_EQ(range.chunk_index, 0);
  EXPECT_EQ(this->IdsOfChunk(job, range), std::vector<int64_t>{ids[1]});
  EXPECT_TRUE(this->NothingToClaim(job.job_id, At(4)));
  const SyncJobRecord ended = this->CompleteOrDie(range, this->InSyncOutcomesFor({ids[1]}, At(5)), At(5));
  EXPECT_EQ(ended.state, SyncJobState::kSucceeded);
  EXPECT_EQ(ended.chunks_done, 2);
  EXPECT_EQ(ended.counts, (SyncJobCounts{.total = 4, .processed = 4, .in_sync = 4}));
}

TYPED_TEST_P(SyncJobTest, PagesThatCoverEveryLicenseEndTheJobWithTheLast) {
  const std::string license_class = this->OwnClass();
  const std::vector<int64_t> ids = this->CreateLicenses(5, license_class);
  const SyncJobRecord job =
      this->StartOrDie(this->NewBulkJob(this->ScopeOf(license_class), 2), At(1));
  ASSERT_EQ(job.chunk_count, 3);
  const SyncChunk page0 = this->ClaimOrDie(job.job_id, "replica-a", At(1));
  this->CompletePageOrDie(page0, this->InSyncOutcomesFor({ids[0], ids[1], ids[2]}, At(2)), "token-1", At(2));
  const SyncChunk page1 = this->ClaimOrDie(job.job_id, "replica-a", At(2));
  const SyncJobRecord ended =
      this->CompletePageOrDie(page1, this->InSyncOutcomesFor({ids[3], ids[4]}, At(3)), "", At(3));
  EXPECT_EQ(ended.state, SyncJobState::kSucceeded);
  EXPECT_EQ(ended.end_time, absl::optional<absl::Time>(At(3)));
  EXPECT_EQ(ended.chunks_done, 3);
  EXPECT_EQ(ended.counts, (SyncJobCounts{.total = 5, .processed = 5, .in_sync = 5}));
  EXPECT_EQ(this->GetOrDie(job.job_id), ended);
  for (int64_t index = 0; index < 3; ++index) EXPECT_EQ(this->ChunkStateOf(job.job_id, index), 3) << index;
  // The slot is free: another job starts.
  const SyncJobRecord next = this->StartOrDie(this->NewBulkJob(this->ScopeOf(license_class), 2), At(4));
  EXPECT_NE(next.job_id, job.job_id);
  ASSERT_TRUE(this->jobs().Cancel(next.job_id, At(5)).ok());
}

TYPED_TEST_P(SyncJobTest, ABulkJobCountsEveryLicenseOnce) {
  const std::string license_class = this->OwnClass();
  std::vector<NewLicense> licenses;
  for (int i = 0; i < 30; ++i) {
    licenses.push_back(this->NewFor(this->UniqueKey(), license_class));
    if (i % 7 == 0) licenses.push_back(this->NewFor(this->UniqueKey(), license_class + "_OTHER"));
  }
  ASSERT_TRUE(this->repo().CreateMany(licenses, At(0)).ok());
  const std::vector<int64_t> ids = this->IdsOf(this->ScopeOf(license_class));
  ASSERT_EQ(ids.size(), 30u);
  const std::vector<int64_t> others = this->IdsOf(this->ScopeOf(license_class + "_OTHER"));
  const SyncJobRecord job =
      this->StartOrDie(this->NewBulkJob(this->ScopeOf(license_class), 7), At(1));
  ASSERT_EQ(job.chunk_count, 5);

  // KA's pages: consecutive ones overlap (its listing moved between two
  // calls), one lists keys that are not the job's, and ids[26..29] are on
  // no page (keys deleted at KA): the ranges sweep them.
  auto bases = [&](size_t from, size_t to) {
    return this->KeyBasesOf(std::vector<int64_t>(ids.begin() + static_cast<ptrdiff_t>(from),
                                                 ids.begin() + static_cast<ptrdiff_t>(to)));
  };
  std::vector<std::vector<std::string>> pages = {bases(0, 12), bases(10, 22), bases(20, 26)};
  pages[2].push_back(this->KeyBaseOf(others[0]));
  pages[2].push_back("PLSK.99999997");
  std::vector<int64_t> swept;
  const SyncJobRecord ended = this->RunBulkToTheEnd(job, pages, At(2), &swept);

  EXPECT_EQ(ended.state, SyncJobState::kSucceeded);
  EXPECT_EQ(ended.chunks_done, 5);
  EXPECT_EQ(ended.counts, (SyncJobCounts{.total = 30, .processed = 30, .in_sync = 30}));
  EXPECT_EQ(this->GetOrDie(job.job_id), ended);
  EXPECT_EQ(swept, std::vector<int64_t>(ids.begin() + 26, ids.end()));
  for (int64_t id : ids) {
    EXPECT_EQ(this->HistoryOldestFirst(id).size(), 1u) << id;
    EXPECT_EQ(this->LicenseOrDie(id).version, 2) << id;
    EXPECT_TRUE(this->LastSyncedBy(id, job.job_id)) << id;
  }
  for (int64_t id : others) EXPECT_TRUE(this->HistoryOldestFirst(id).empty()) << id;
}

TYPED_TEST_P(SyncJobTest, ConcurrentBulkRunnersCountEveryLicenseOnce) {
  const std::string license_class = this->OwnClass();
  const std::vector<int64_t> ids = this->CreateLicenses(600, license_class);
  const SyncJobRecord job =
      this->StartOrDie(this->NewBulkJob(this->ScopeOf(license_class), 50), At(1));
  ASSERT_EQ(job.chunk_count, 12);
  // 15 pages of 50 keys, each overlapping the next by 14; the last 46
  // licenses are on no page.
  std::vector<std::vector<std::string>> pages;
  for (size_t k = 0; k < 15; ++k) {
    pages.push_back(this->KeyBasesOf(std::vector<int64_t>(
        ids.begin() + static_cast<ptrdiff_t>(k * 36),
        ids.begin() + static_cast<ptrdiff_t>(k * 36 + 50))));
  }

  constexpr int kThreads = 4;
  const absl::Time deadline = absl::Now() + absl::Minutes(2);
  std::latch start(kThreads);
  absl::Mutex mutex;
  std::vector<absl::Status> failures;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string owner = absl::StrCat("replica-", t);
      start.arrive_and_wait();
      // Until the job ends: a replica finding nothing to claim while pages
      // are in flight tries again, as the runner does.
      while (absl::Now() < deadline) {
        absl::StatusOr<absl::optional<SyncChunk>> claimed =
            this->jobs().ClaimChunk(job.job_id, owner, At(2), absl::Minutes(1));
        absl::Status status = claimed.status();
        if (status.ok() && !claimed->has_value()) {
          absl::StatusOr<SyncJobRecord> now = this->jobs().Get(job.job_id);
          if (now.ok() && now->state != SyncJobState::kRunning) return;
          status = now.status();
          if (status.ok()) {
            std::this_thread::yield();
            continue;
          }
        }
        if (status.ok()) {
          const SyncChunk& chunk = **claimed;
          absl::StatusOr<std::vector<LicenseRecord>> licenses;
          const size_t k = static_cast<size_t>(chunk.chunk_index - job.chunk_count);
          std::string next;
          if (chunk.is_page()) {
            if (k + 1 < pages.size()) next = absl::StrCat("page-", k + 1);
            licenses = this->jobs().LicensesForKeys(job, pages[k]);
          } else {
            licenses = this->jobs().LicensesOf(job, chunk);
          }
          if (status.ok()) status = licenses.status();
          std::vector<LicenseSyncOutcome> outcomes;
          for (const LicenseRecord& license : licenses.value_or(std::vector<LicenseRecord>{})) {
            const int64_t id = license.license_id;
            outcomes.push_back(id % 2 == 0 ? this->InSyncOutcome(id, At(3))
                                           : this->NotInSyncOutcome(id, At(3)));
          }
          if (status.ok()) {
            status = chunk.is_page()
                         ? this->jobs().CompletePage(chunk, outcomes, next, At(4)).status()
                         : this->jobs().CompleteChunk(chunk, outcomes, At(4)).status();
          }
        }
        if (!status.ok()) {
          absl::MutexLock lock(&mutex);
          failures.push_back(status);
          return;
        }
      }
      absl::MutexLock lock(&mutex);
      failures.push_back(absl::DeadlineExceededError("the job did not end in time"));
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(failures, ::testing::IsEmpty());

  const SyncJobRecord ended = this->GetOrDie(job.job_id);
  EXPECT_EQ(ended.state, SyncJobState::kSucceeded);
  EXPECT_EQ(ended.chunks_done, 12);
  EXPECT_EQ(ended.counts.total, 600);
  EXPECT_EQ(ended.counts.processed, 600);
  EXPECT_EQ(ended.counts.in_sync + ended.counts.not_in_sync, 600);
  for (const LicenseRecord& license : this->ListAll(this->ScopeOf(license_class))) {
    EXPECT_EQ(license.version, 2);
    EXPECT_EQ(this->HistoryOldestFirst(license.license_id).size(), 1u);
  }
  if (ended.state == SyncJobState::kRunning) {
    ASSERT_TRUE(this->jobs().Cancel(job.job_id, At(5)).ok());
  }
}

TYPED_TEST_P(SyncJobTest, AnExpiredPageLeaseIsTakenOverAndItsFirstOwnerWritesNothing) {
  const std::string license_class = this->OwnClass();
  const std::vector<int64_t> ids = this->CreateLicenses(2, license_class);
  const SyncJobRecord job =
      this->StartOrDie(this->NewBulkJob(this->ScopeOf(license_class), 10), At(100));
  const SyncChunk first = this->ClaimOrDie(job.job_id, "replica-a", At(100), absl::Seconds(30));
  EXPECT_TRUE(this->NothingToClaim(job.job_id, At(130)));
  const SyncChunk taken = this->ClaimOrDie(job.job_id, "replica-b", At(131), absl::Seconds(30));
  EXPECT_EQ(taken.chunk_index, first.chunk_index);
  EXPECT_EQ(taken.attempts, 2);
  EXPECT_EQ(taken.page_token, first.page_token);

  // The first owner comes back: it can neither renew nor complete.
  EXPECT_EQ(ReasonOf(this->jobs().RenewLease(first, At(132), absl::Seconds(30))),
            kReasonSyncChunkLeaseLost);
  const std::vector<LicenseSyncOutcome> late = this->InSyncOutcomesFor(ids, At(132));
  absl::StatusOr<SyncJobRecord> lost = this->jobs().CompletePage(first, late, "", At(132));
  EXPECT_EQ(lost.status().code(), absl::StatusCode::kFailedPrecondition) << lost.status();
  EXPECT_EQ(ReasonOf(lost.status()), kReasonSyncChunkLeaseLost);
  for (int64_t id : ids) {
    EXPECT_EQ(this->LicenseOrDie(id).version, 1);
    EXPECT_TRUE(this->HistoryOldestFirst(id).empty());
    EXPECT_TRUE(this->LastSyncedBy(id, ""));
  }
  EXPECT_EQ(this->GetOrDie(job.job_id).counts, (SyncJobCounts{.total = 2}));
  EXPECT_TRUE(this->NothingToClaim(job.job_id, At(133)));  // the ranges still wait

  // A released page lease is claimable at once.
  ASSERT_TRUE(this->jobs().ReleaseLeases("replica-b").ok());
  const SyncChunk again = this->ClaimOrDie(job.job_id, "replica-c", At(133));
  EXPECT_EQ(again.chunk_index, first.chunk_index);
  EXPECT_EQ(again.attempts, 3);
  EXPECT_EQ(ReasonOf(this->jobs().CompletePage(taken, late, "", At(134)).status()),
            kReasonSyncChunkLeaseLost);
  // It covers both licenses, so its commit ends the job.
  const SyncJobRecord after = this->CompletePageOrDie(again, late, "", At(134));
  EXPECT_EQ(after.counts, (SyncJobCounts{.total = 2, .processed = 2, .in_sync = 2}));
  EXPECT_EQ(after.state, SyncJobState::kSucceeded);
  EXPECT_EQ(this->jobs().CompletePage(again, {}, "", At(135)).status().code(),
            absl::StatusCode::kFailedPrecondition);  // done: never twice
  EXPECT_EQ(this->GetOrDie(job.job_id), after);
}

TYPED_TEST_P(SyncJobTest, CancelAndPruneTakeABulkJobsPagesAlong) {
  // Far in the past, before every other test's jobs, and pruned at the end
  // (see PruneRemovesJobsEndedBeforeTheCutoffWithTheirChunks).
  const absl::Time base = At(-40'000'000);
  const std::string license_class = this->OwnClass();
  const std::vector<int64_t> ids = this->CreateLicenses(3, license_class);
  const SyncJobRecord job =
      this->StartOrDie(this->NewBulkJob(this->ScopeOf(license_class), 1), base);
  const SyncChunk first = this->ClaimOrDie(job.job_id, "replica-a", base + absl::Seconds(1));
  this->CompletePageOrDie(first, {}, "token-1", base + absl::Seconds(1));
  const SyncChunk page = this->ClaimOrDie(job.job_id, "replica-a", base + absl::Seconds(1));
  EXPECT_EQ(this->ChunkRowsOf(job.job_id), 5);

  absl::StatusOr<SyncJobRecord> cancelled =
      this->jobs().Cancel(job.job_id, base + absl::Seconds(2));
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->state, SyncJobState::kCancelled);
  absl::StatusOr<SyncJobRecord> late = this->jobs().CompletePage(
      page, {this->InSyncOutcome(ids[0], base)}, "token-2", base + absl::Seconds(3));
  EXPECT_EQ(late.status().code(), absl::StatusCode::kFailedPrecondition) << late.status();
  EXPECT_EQ(ReasonOf(late.status()), kReasonSyncJobEnded);
  EXPECT_EQ(this->LicenseOrDie(ids[0]).version, 1);
  EXPECT_TRUE(this->LastSyncedBy(ids[0], ""));
  EXPECT_TRUE(this->NothingToClaim(job.job_id, base + absl::Seconds(4)));

  absl::StatusOr<int64_t> pruned = this->jobs().PruneEndedBefore(base + absl::Seconds(10));
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, 1);
  EXPECT_EQ(this->ChunkRowsOf(job.job_id), 0);
  EXPECT_EQ(this->jobs().Get(job.job_id).status().code(), absl::StatusCode::kNotFound);
}

TYPED_TEST_P(SyncJobTest, SyncJobIdNamesTheJobThatLastWroteTheResult) {
  const std::string license_class = this->OwnClass();
  const std::vector<int64_t> ids = this->CreateLicenses(3, license_class);
  absl::StatusOr<LicenseRecord> before = this->repo().RecordSync(ids[1], this->InSyncAt(At(1)));
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_TRUE(this->LastSyncedBy(ids[1], ""));  // never synced by a job

  // Every license a chunk writes, even when its result and version stay.
  const SyncJobRecord job = this->StartOrDie(this->NewJob(this->ScopeOf(license_class), 10), At(2));
  EXPECT_FALSE(job.bulk);
  const SyncChunk chunk = this->ClaimOrDie(job.job_id, "replica-a", At(2));
  EXPECT_FALSE(chunk.is_page());
  const SyncJobRecord ended = this->CompleteOrDie(
      chunk,
      {this->InSyncOutcome(ids[0], At(3)), this->InSyncOutcome(ids[1], At(3)),
       this->FailedOutcome(ids[2], At(3))},
      At(3));
  EXPECT_EQ(ended.state, SyncJobState::kSucceeded);
  EXPECT_EQ(this->LicenseOrDie(ids[1]).version, before->version);
  for (int64_t id : ids) EXPECT_TRUE(this->LastSyncedBy(id, job.job_id)) << id;

  // A single SyncLicense, whether the result changed or not, leaves the
  // mark: a bulk job running meanwhile must not count the license twice.
  ASSERT_TRUE(this->repo().RecordSync(ids[0], this->NotInSyncAt(At(4))).ok());
  ASSERT_TRUE(this->repo().RecordSync(ids[1], this->InSyncAt(At(4))).ok());
  for (int64_t id : ids) EXPECT_TRUE(this->LastSyncedBy(id, job.job_id)) << id;
}

REGISTER_TYPED_TEST_SUITE_P(
    SyncJobTest, StartCutsTheMatchingLicensesIntoChunksInIdOrder,
    AJobOverNoLicenseSucceedsAsItStarts, ASecondStartAttachesToTheRunningJobWhateverItsScope,
    ConcurrentStartsCreateOneJob, StartRejectsBadInputAndAReusedJobId,
    ConcurrentClaimsHandEachChunkToOneOwner, AnExpiredLeaseIsTakenOverAndItsFirstOwnerWritesNothing,
    ReleasedLeasesAreClaimableAtOnce, CompleteChunkWritesResultsHistoryAndCounters,
    CompleteChunkSkipsAResultComparedWithAnOlderVersion, CompleteChunkRefusesOutcomesThatAreNotTheChunks, ConcurrentCompletionsCountEveryLicenseOnce,
    CancelEndsTheJobKeepsItsCountsAndFreesTheSlot, FailEndsTheJobWithItsError,
    UnknownJobsAreNotFound, ListIsNewestFirstAndPagedByKeyset,
    PruneRemovesJobsEndedBeforeTheCutoffWithTheirChunks,
    ABulkStartKeepsItsRangesWaitingBehindItsFirstPage,
    CompletePageRecordsTheNextPageOnlyForTheHolder,
    PagesThatCoverEveryLicenseEndTheJobWithTheLast,
    LicensesForKeysFindsTheJobsLicensesNoPageCovered,
    CompletePageWritesItsLicensesAndLeavesAloneWhatIsNotItsToWrite,
    TheRangesWaitForEveryPageInFlight, ABulkJobCountsEveryLicenseOnce,
    ConcurrentBulkRunnersCountEveryLicenseOnce,
    AnExpiredPageLeaseIsTakenOverAndItsFirstOwnerWritesNothing,
    CancelAndPruneTakeABulkJobsPagesAlong, SyncJobIdNamesTheJobThatLastWroteTheResult);

}  // namespace lss::storage_test
