// The daily run's storage tests, one source for every backend (instantiated
// as "Sqlite" and "MariaDb" next to StorageTest): the daily_runs claims and
// phases, and the license repository's renewal, expiry and retention.
//
// It reuses StorageTest's fixture and gets a database of its own for the
// suite; other tests' licenses share it, so a test checks its own licenses,
// and counts across the table against the database itself (raw()).
#pragma once

#include <algorithm>
#include <atomic>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status/error_details.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/daily_run_repository.h"
#include "tests/storage/storage_test_suite.h"

namespace lss::storage_test {

template <typename Backend>
class DailyRunTest : public StorageTest<Backend> {
 protected:
  DailyRunRepository& runs() { return this->database().daily_runs(); }

  // A day no other test of the suite uses.
  static std::string UniqueDay() {
    const int n = StorageTest<Backend>::UniqueNumber();
    return absl::StrFormat("2030-%02d-%02d", 1 + n / 28 % 12, 1 + n % 28);
  }

  DailyRunRecord ClaimOrDie(const std::string& day, const std::string& owner, absl::Time now,
                            absl::Duration lease = absl::Minutes(1)) {
    absl::StatusOr<absl::optional<DailyRunRecord>> run =
        runs().Claim(day, absl::StrCat("run-", day, "-", owner, "-", this->UniqueNumber()), owner,
                     now, lease);
    EXPECT_TRUE(run.ok()) << run.status();
    EXPECT_TRUE(run.ok() && run->has_value()) << "the claim of " << day << " by " << owner
                                              << " was refused";
    if (!run.ok() || !run->has_value()) return DailyRunRecord{};
    return **run;
  }

  static DailyRunPhase Phase(DailyRunPhaseKind kind, DailyRunState state, absl::Time start) {
    DailyRunPhase phase;
    phase.kind = kind;
    phase.state = state;
    phase.start_time = start;
    if (state != DailyRunState::kRunning) phase.end_time = start + absl::Seconds(5);
    return phase;
  }

  // A license of this test, In Sync at At(0) with `renewal_due` and `expire`.
  LicenseRecord InSyncLicense(absl::Time renewal_due, absl::Time expire) {
    NewLicense license = this->NewFor(this->UniqueKey(), this->OwnClass());
    license.config.renewal_due_time = renewal_due;
    license.config.expire_time = expire;
    const LicenseRecord created = this->CreateOrDie(license);
    absl::StatusOr<LicenseRecord> synced =
        this->repo().RecordSync(created.license_id, this->InSyncAt(At(0)));
    EXPECT_TRUE(synced.ok()) << synced.status();
    return synced.value_or(created);
  }

  LicenseRecord Reload(int64_t license_id) {
    absl::StatusOr<LicenseRecord> record = this->repo().Get(license_id);
    EXPECT_TRUE(record.ok()) << record.status();
    return record.value_or(LicenseRecord{});
  }

  std::vector<int64_t> RenewalDueIds(absl::Time now) {
    std::vector<int64_t> ids;
    int64_t after_id = 0;
    for (;;) {
      absl::StatusOr<std::vector<LicenseRecord>> page = this->repo().ListRenewalDue(now, after_id, 7);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok() || page->empty()) return ids;
      for (const LicenseRecord& record : *page) ids.push_back(record.license_id);
      after_id = page->back().license_id;
    }
  }

  int64_t CountOrDie(const std::string& sql) {
    absl::StatusOr<int64_t> count = this->raw().QueryInt(sql);
    EXPECT_TRUE(count.ok()) << count.status();
    return count.value_or(-1);
  }
};

TYPED_TEST_SUITE_P(DailyRunTest);

TYPED_TEST_P(DailyRunTest, TheFirstClaimCreatesTheRunAndOthersAreRefused) {
  const std::string day = this->UniqueDay();
  const DailyRunRecord run = this->ClaimOrDie(day, "replica-a", At(0));
  EXPECT_EQ(run.run_date, day);
  EXPECT_EQ(run.state, DailyRunState::kRunning);
  EXPECT_EQ(run.owner, "replica-a");
  EXPECT_EQ(run.attempts, 1);
  EXPECT_EQ(run.start_time, At(0));
  EXPECT_EQ(run.lease_expires_at, At(60));
  EXPECT_TRUE(run.phases.empty());

  absl::StatusOr<absl::optional<DailyRunRecord>> second =
      this->runs().Claim(day, "another-run-id", "replica-b", At(30), absl::Minutes(1));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_FALSE(second->has_value());
  // Not even the owner claims it twice: a second claim would be a second run.
  absl::StatusOr<absl::optional<DailyRunRecord>> again =
      this->runs().Claim(day, "yet-another-id", "replica-a", At(30), absl::Minutes(1));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->has_value());
}

TYPED_TEST_P(DailyRunTest, ConcurrentClaimsOfADayLetOneReplicaThrough) {
  const std::string day = this->UniqueDay();
  constexpr int kReplicas = 8;
  std::atomic<int> winners{0};
  std::atomic<int> failures{0};
  std::latch start(kReplicas);
  std::vector<std::thread> replicas;
  for (int i = 0; i < kReplicas; ++i) {
    replicas.emplace_back([&, i] {
      start.arrive_and_wait();
      absl::StatusOr<absl::optional<DailyRunRecord>> run = this->runs().Claim(
          day, absl::StrCat("run-", day, "-", i), absl::StrCat("replica-", i), At(0),
          absl::Minutes(1));
      if (!run.ok()) {
        failures.fetch_add(1);
      } else if (run->has_value()) {
        winners.fetch_add(1);
      }
    });
  }
  for (std::thread& replica : replicas) replica.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(winners.load(), 1);
}

TYPED_TEST_P(DailyRunTest, AnExpiredLeaseIsTakenOverAndTheFirstClaimCanNoLongerWrite) {
  const std::string day = this->UniqueDay();
  const DailyRunRecord first = this->ClaimOrDie(day, "replica-a", At(0));
  ASSERT_TRUE(this->runs()
                  .SavePhase(first, this->Phase(DailyRunPhaseKind::kSync, DailyRunState::kSucceeded, At(1)),
                             At(10), absl::Minutes(1))
                  .ok());
  // The save extended the lease to At(70): not yet expired at At(69).
  absl::StatusOr<absl::optional<DailyRunRecord>> early =
      this->runs().Claim(day, "early", "replica-b", At(69), absl::Minutes(1));
  ASSERT_TRUE(early.ok()) << early.status();
  EXPECT_FALSE(early->has_value());

  const DailyRunRecord second = this->ClaimOrDie(day, "replica-b", At(71));
  EXPECT_EQ(second.owner, "replica-b");
  EXPECT_EQ(second.attempts, 2);
  EXPECT_EQ(second.run_id, first.run_id);
  ASSERT_EQ(second.phases.size(), 1u);
  EXPECT_EQ(second.phases[0].kind, DailyRunPhaseKind::kSync);
  EXPECT_EQ(second.phases[0].state, DailyRunState::kSucceeded);

  const DailyRunPhase renew = this->Phase(DailyRunPhaseKind::kRenew, DailyRunState::kRunning, At(72));
  for (const absl::Status& refused :
       {this->runs().SavePhase(first, renew, At(72), absl::Minutes(1)),
        this->runs().RenewLease(first, At(72), absl::Minutes(1)),
        this->runs().Finish(first, DailyRunState::kSucceeded, At(72))}) {
    EXPECT_TRUE(absl::IsFailedPrecondition(refused)) << refused;
    EXPECT_EQ(ReasonOf(refused), kReasonDailyRunLeaseLost);
  }
  absl::StatusOr<DailyRunRecord> stored = this->runs().Get(day);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->owner, "replica-b");
  EXPECT_EQ(stored->phases.size(), 1u);
  EXPECT_EQ(stored->state, DailyRunState::kRunning);
}

TYPED_TEST_P(DailyRunTest, PhasesAreStoredWithTheirFirstFailuresAndReplaced) {
  const std::string day = this->UniqueDay();
  const DailyRunRecord run = this->ClaimOrDie(day, "replica-a", At(0));
  DailyRunPhase sync = this->Phase(DailyRunPhaseKind::kSync, DailyRunState::kRunning, At(1));
  sync.job_id = "job-of-the-day";
  ASSERT_TRUE(this->runs().SavePhase(run, sync, At(1), absl::Minutes(1)).ok());

  sync.state = DailyRunState::kSucceeded;
  sync.end_time = At(50);
  sync.processed = 300;
  sync.succeeded = 150;
  sync.failed = 150;
  for (int i = 0; i < 150; ++i) {
    sync.failures.push_back({1000 + i, absl::StrFormat("PLSK.%08d.0001", i), "KA said 287"});
  }
  ASSERT_TRUE(this->runs().SavePhase(run, sync, At(50), absl::Minutes(1)).ok());
  DailyRunPhase renew = this->Phase(DailyRunPhaseKind::kRenew, DailyRunState::kSucceeded, At(51));
  renew.state = DailyRunState::kFailed;
  renew.error = "the Key Administrator refused our login";
  ASSERT_TRUE(this->runs().SavePhase(run, renew, At(52), absl::Minutes(1)).ok());

  absl::StatusOr<DailyRunRecord> stored = this->runs().Get(day);
  ASSERT_TRUE(stored.ok()) << stored.status();
  ASSERT_EQ(stored->phases.size(), 2u);
  DailyRunPhase expected_sync = sync;
  expected_sync.failures.resize(kMaxDailyRunFailures);
  EXPECT_EQ(stored->phases[0], expected_sync);
  EXPECT_EQ(stored->phases[1], renew);
  EXPECT_EQ(stored->lease_expires_at, At(112));
}

TYPED_TEST_P(DailyRunTest, AFinishedRunIsNeverClaimedAgain) {
  const std::string day = this->UniqueDay();
  const DailyRunRecord run = this->ClaimOrDie(day, "replica-a", At(0));
  ASSERT_TRUE(this->runs().Finish(run, DailyRunState::kSucceeded, At(40)).ok());
  absl::StatusOr<DailyRunRecord> stored = this->runs().Get(day);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->state, DailyRunState::kSucceeded);
  EXPECT_EQ(stored->end_time, At(40));

  // Long after any lease: still the day's one run.
  absl::StatusOr<absl::optional<DailyRunRecord>> later =
      this->runs().Claim(day, "later", "replica-b", At(86'400), absl::Minutes(1));
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_FALSE(later->has_value());
  EXPECT_TRUE(absl::IsInvalidArgument(this->runs().Finish(run, DailyRunState::kRunning, At(41))));
}

TYPED_TEST_P(DailyRunTest, ListIsNewestFirstAndPagedAndBadInputIsRefused) {
  std::vector<std::string> days = {this->UniqueDay(), this->UniqueDay(), this->UniqueDay()};
  for (const std::string& day : days) this->ClaimOrDie(day, "replica-a", At(0));
  std::sort(days.rbegin(), days.rend());

  // Every run of the suite, newest first, two at a time.
  std::vector<std::string> listed;
  std::string before;
  for (;;) {
    absl::StatusOr<std::vector<DailyRunRecord>> page = this->runs().List(before, 2);
    ASSERT_TRUE(page.ok()) << page.status();
    if (page->empty()) break;
    EXPECT_LE(page->size(), 2u);
    for (const DailyRunRecord& run : *page) listed.push_back(run.run_date);
    before = page->back().run_date;
  }
  EXPECT_TRUE(std::is_sorted(listed.rbegin(), listed.rend()));
  for (const std::string& day : days) EXPECT_THAT(listed, ::testing::Contains(day));

  EXPECT_TRUE(absl::IsInvalidArgument(this->runs().List("", 0).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(this->runs().List("yesterday", 5).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(this->runs().Get("2030-1-1").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      this->runs().Claim("20300101", "id", "owner", At(0), absl::Minutes(1)).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      this->runs().Claim(this->UniqueDay(), "id", "owner", At(0), absl::ZeroDuration()).status()));
  absl::Status unknown = this->runs().Get("1999-01-01").status();
  EXPECT_TRUE(absl::IsNotFound(unknown)) << unknown;
  EXPECT_EQ(ReasonOf(unknown), kReasonDailyRunNotFound);
}

TYPED_TEST_P(DailyRunTest, RenewalDueListsActiveInSyncLicensesWhoseRenewalCame) {
  const absl::Time now = At(86'400 * 100);
  const LicenseRecord due = this->InSyncLicense(now - absl::Hours(1), now + absl::Hours(240));
  const LicenseRecord due_exactly = this->InSyncLicense(now, now + absl::Hours(240));
  const LicenseRecord not_yet = this->InSyncLicense(now + absl::Hours(1), now + absl::Hours(241));
  const LicenseRecord not_in_sync = this->InSyncLicense(now - absl::Hours(1), now + absl::Hours(1));
  ASSERT_TRUE(this->repo().RecordSync(not_in_sync.license_id, this->NotInSyncAt(At(1))).ok());
  NewLicense never_synced = this->NewFor(this->UniqueKey(), this->OwnClass());
  never_synced.config.renewal_due_time = now - absl::Hours(1);
  const LicenseRecord never = this->CreateOrDie(never_synced);
  const LicenseRecord placing = this->InSyncLicense(now - absl::Hours(1), now + absl::Hours(1));
  ASSERT_TRUE(this->raw()
                  .Execute(absl::StrCat("UPDATE licenses SET order_placing = 1 WHERE license_id = ",
                                        placing.license_id))
                  .ok());
  const LicenseRecord expired = this->InSyncLicense(now - absl::Hours(1), now - absl::Minutes(1));
  ASSERT_TRUE(this->raw()
                  .Execute(absl::StrCat("UPDATE licenses SET state = 2 WHERE license_id = ",
                                        expired.license_id))
                  .ok());

  std::vector<int64_t> listed = this->RenewalDueIds(now);
  EXPECT_TRUE(std::is_sorted(listed.begin(), listed.end()));
  EXPECT_THAT(listed, ::testing::IsSupersetOf({due.license_id, due_exactly.license_id}));
  for (int64_t excluded : {not_yet.license_id, not_in_sync.license_id, never.license_id,
                           placing.license_id, expired.license_id}) {
    EXPECT_THAT(listed, ::testing::Not(::testing::Contains(excluded))) << excluded;
  }
  EXPECT_TRUE(absl::IsInvalidArgument(this->repo().ListRenewalDue(now, 0, 0).status()));
}

TYPED_TEST_P(DailyRunTest, RecordRenewalStoresKasDatesAndBumpsTheVersion) {
  const LicenseRecord license = this->InSyncLicense(At(86'400 * 20), At(86'400 * 30));
  Renewal renewal;
  renewal.key_number = license.config.key_number;
  renewal.renewal_due_time = At(86'400 * 385);
  renewal.expire_time = At(86'400 * 395);
  absl::StatusOr<LicenseRecord> renewed =
      this->repo().RecordRenewal(license.license_id, renewal, At(86'400 * 21));
  ASSERT_TRUE(renewed.ok()) << renewed.status();
  EXPECT_EQ(renewed->config.renewal_due_time, renewal.renewal_due_time);
  EXPECT_EQ(renewed->config.expire_time, renewal.expire_time);
  EXPECT_EQ(renewed->version, license.version + 1);
  EXPECT_EQ(renewed->update_time, At(86'400 * 21));
  EXPECT_EQ(renewed->sync, license.sync);
  EXPECT_EQ(this->Reload(license.license_id), *renewed);

  Renewal of_another_key = renewal;
  of_another_key.key_number = "PLSK.99999998.0007";
  absl::Status changed =
      this->repo().RecordRenewal(license.license_id, of_another_key, At(86'400 * 22)).status();
  EXPECT_TRUE(absl::IsFailedPrecondition(changed)) << changed;
  EXPECT_EQ(ReasonOf(changed), kReasonLicenseKeyChanged);
  EXPECT_EQ(this->Reload(license.license_id), *renewed);

  absl::Status unknown = this->repo().RecordRenewal(999'999'999, renewal, At(0)).status();
  EXPECT_TRUE(absl::IsNotFound(unknown)) << unknown;
}

// Listed as due, then changed before KA's renewal answer is written: a sync
// that found it Not In Sync, an order being placed, a termination. The
// write refuses, leaves the license as it is, and says why.
TYPED_TEST_P(DailyRunTest, RecordRenewalRefusesALicenseThatChangedSinceItWasListed) {
  Renewal renewal;
  renewal.renewal_due_time = At(86'400 * 385);
  renewal.expire_time = At(86'400 * 395);

  const LicenseRecord not_in_sync = this->InSyncLicense(At(86'400 * 20), At(86'400 * 30));
  ASSERT_TRUE(this->repo().RecordSync(not_in_sync.license_id, this->NotInSyncAt(At(86'400 * 20))).ok());
  const LicenseRecord before = this->Reload(not_in_sync.license_id);
  renewal.key_number = not_in_sync.config.key_number;
  absl::Status refused = this->repo().RecordRenewal(not_in_sync.license_id, renewal, At(86'400 * 21)).status();
  EXPECT_TRUE(absl::IsFailedPrecondition(refused)) << refused;
  EXPECT_EQ(ReasonOf(refused), kReasonLicenseNotInSync);
  EXPECT_EQ(this->Reload(not_in_sync.license_id), before);

  const LicenseRecord placing = this->InSyncLicense(At(86'400 * 20), At(86'400 * 30));
  ASSERT_TRUE(this->raw()
                  .Execute(absl::StrCat("UPDATE licenses SET order_placing = 1 WHERE license_id = ",
                                        placing.license_id))
                  .ok());
  const LicenseRecord placing_before = this->Reload(placing.license_id);
  renewal.key_number = placing.config.key_number;
  refused = this->repo().RecordRenewal(placing.license_id, renewal, At(86'400 * 21)).status();
  EXPECT_TRUE(absl::IsFailedPrecondition(refused)) << refused;
  EXPECT_EQ(ReasonOf(refused), kReasonOrderPlacing);
  EXPECT_EQ(this->Reload(placing.license_id), placing_before);

  const LicenseRecord terminated = this->InSyncLicense(At(86'400 * 20), At(86'400 * 30));
  ASSERT_TRUE(this->repo().MarkTerminated(terminated.license_id, At(86'400 * 20)).ok());
  const LicenseRecord terminated_before = this->Reload(terminated.license_id);
  renewal.key_number = terminated.config.key_number;
  refused = this->repo().RecordRenewal(terminated.license_id, renewal, At(86'400 * 21)).status();
  EXPECT_TRUE(absl::IsFailedPrecondition(refused)) << refused;
  EXPECT_EQ(ReasonOf(refused), kReasonLicenseNotActive);
  EXPECT_EQ(this->Reload(terminated.license_id), terminated_before);

  // A termination under way: neither listed as due nor renewed, until its
  // mark runs out.
  const LicenseRecord terminating = this->InSyncLicense(At(86'400 * 20), At(86'400 * 30));
  ASSERT_TRUE(this->repo().BeginTermination(terminating.license_id, At(86'400 * 22), At(86'400 * 20)).ok());
  EXPECT_THAT(this->RenewalDueIds(At(86'400 * 21)), ::testing::Not(::testing::Contains(terminating.license_id)));
  const LicenseRecord terminating_before = this->Reload(terminating.license_id);
  renewal.key_number = terminating.config.key_number;
  refused = this->repo().RecordRenewal(terminating.license_id, renewal, At(86'400 * 21)).status();
  EXPECT_TRUE(absl::IsFailedPrecondition(refused)) << refused;
  EXPECT_EQ(ReasonOf(refused), kReasonLicenseTerminating);
  EXPECT_EQ(this->Reload(terminating.license_id), terminating_before);
  EXPECT_THAT(this->RenewalDueIds(At(86'400 * 23)), ::testing::Contains(terminating.license_id));
}

TYPED_TEST_P(DailyRunTest, ExpirePastDueExpiresExactlyTheActiveLicensesPastExpiry) {
  const absl::Time now = At(86'400 * 500);
  const LicenseRecord past = this->InSyncLicense(now - absl::Hours(300), now - absl::Hours(1));
  const LicenseRecord at_now = this->InSyncLicense(now - absl::Hours(240), now);
  const LicenseRecord future = this->InSyncLicense(now - absl::Hours(1), now + absl::Hours(1));
  const LicenseRecord placing = this->InSyncLicense(now - absl::Hours(300), now - absl::Hours(1));
  ASSERT_TRUE(this->raw()
                  .Execute(absl::StrCat("UPDATE licenses SET order_placing = 1 WHERE license_id = ",
                                        placing.license_id))
                  .ok());
  const std::string due_sql = absl::StrCat(
      "SELECT COUNT(*) FROM licenses WHERE state = 1 AND order_placing = 0 AND expire_at < ",
      absl::ToUnixMicros(now));
  const int64_t due = this->CountOrDie(due_sql);
  ASSERT_GE(due, 1);

  absl::StatusOr<int64_t> expired = this->repo().ExpirePastDue(now);
  ASSERT_TRUE(expired.ok()) << expired.status();
  EXPECT_EQ(*expired, due);
  EXPECT_EQ(this->CountOrDie(due_sql), 0);

  const LicenseRecord past_after = this->Reload(past.license_id);
  EXPECT_EQ(past_after.state, LicenseState::kExpired);
  EXPECT_EQ(past_after.version, past.version + 1);
  EXPECT_EQ(past_after.update_time, now);
  EXPECT_EQ(this->Reload(at_now.license_id), at_now);
  EXPECT_EQ(this->Reload(future.license_id), future);
  EXPECT_EQ(this->Reload(placing.license_id).state, LicenseState::kActive);

  absl::StatusOr<int64_t> again = this->repo().ExpirePastDue(now);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, 0);
}

TYPED_TEST_P(DailyRunTest, PruneHistoryRemovesTheEntriesOlderThanTheCutoff) {
  const LicenseRecord license = this->InSyncLicense(At(86'400 * 20), At(86'400 * 30));
  // A change of result each day, so an entry each day.
  for (int day = 1; day <= 4; ++day) {
    ASSERT_TRUE(this->repo()
                    .RecordSync(license.license_id, day % 2 == 1 ? this->NotInSyncAt(At(86'400 * day))
                                                                 : this->InSyncAt(At(86'400 * day)))
                    .ok());
  }
  const absl::Time cutoff = At(86'400 * 3);
  const std::string older_sql = absl::StrCat("SELECT COUNT(*) FROM sync_history WHERE synced_at < ",
                                             absl::ToUnixMicros(cutoff));
  const int64_t older = this->CountOrDie(older_sql);
  const int64_t all = this->CountOrDie("SELECT COUNT(*) FROM sync_history");
  ASSERT_GE(older, 3);  // this license's entries of At(0), day 1 and day 2

  absl::StatusOr<int64_t> pruned = this->repo().PruneHistoryBefore(cutoff);
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, older);
  EXPECT_EQ(this->CountOrDie(older_sql), 0);
  EXPECT_EQ(this->CountOrDie("SELECT COUNT(*) FROM sync_history"), all - older);
  std::vector<SyncHistoryEntry> kept = this->HistoryOldestFirst(license.license_id);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].sync_time, At(86'400 * 3));
  EXPECT_EQ(kept[1].sync_time, At(86'400 * 4));
}

TYPED_TEST_P(DailyRunTest, ListJobFailuresReturnsTheFailedAttemptsOfOneJob) {
  const std::string job_id = absl::StrCat("job-failures-", this->UniqueNumber());
  const LicenseRecord failing = this->InSyncLicense(At(86'400 * 20), At(86'400 * 30));
  const LicenseRecord fine = this->InSyncLicense(At(86'400 * 20), At(86'400 * 30));
  const LicenseRecord failing_elsewhere = this->InSyncLicense(At(86'400 * 20), At(86'400 * 30));
  ASSERT_TRUE(this->repo()
                  .RecordSyncFailure(failing.license_id, SyncFailure{"KA said 287", At(5), job_id})
                  .ok());
  ASSERT_TRUE(this->repo().RecordSync(fine.license_id, this->InSyncAt(At(5), job_id)).ok());
  ASSERT_TRUE(this->repo()
                  .RecordSyncFailure(failing_elsewhere.license_id,
                                     SyncFailure{"KA said 287", At(5), "another-job"})
                  .ok());

  absl::StatusOr<std::vector<SyncHistoryEntry>> failures =
      this->repo().ListJobFailures(job_id, 100);
  ASSERT_TRUE(failures.ok()) << failures.status();
  ASSERT_EQ(failures->size(), 1u);
  EXPECT_EQ((*failures)[0].license_id, failing.license_id);
  EXPECT_EQ((*failures)[0].key_number, failing.config.key_number);
  EXPECT_EQ((*failures)[0].error, "KA said 287");
  EXPECT_TRUE(absl::IsInvalidArgument(this->repo().ListJobFailures(job_id, 0).status()));
}

REGISTER_TYPED_TEST_SUITE_P(DailyRunTest, TheFirstClaimCreatesTheRunAndOthersAreRefused,
                            ConcurrentClaimsOfADayLetOneReplicaThrough,
                            AnExpiredLeaseIsTakenOverAndTheFirstClaimCanNoLongerWrite,
                            PhasesAreStoredWithTheirFirstFailuresAndReplaced,
                            AFinishedRunIsNeverClaimedAgain,
                            ListIsNewestFirstAndPagedAndBadInputIsRefused,
                            RenewalDueListsActiveInSyncLicensesWhoseRenewalCame,
                            RecordRenewalStoresKasDatesAndBumpsTheVersion,
                            RecordRenewalRefusesALicenseThatChangedSinceItWasListed,
                            ExpirePastDueExpiresExactlyTheActiveLicensesPastExpiry,
                            PruneHistoryRemovesTheEntriesOlderThanTheCutoff,
                            ListJobFailuresReturnsTheFailedAttemptsOfOneJob);

}  // namespace lss::storage_test
