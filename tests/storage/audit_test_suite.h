// The audit log storage tests, one source for every backend: a third
// type-parameterized suite, AuditTest, instantiated next to StorageTest
// ("Sqlite" in sqlite_storage_test.cc, "MariaDb" in mariadb_storage_test.cc).
//
// It reuses StorageTest's fixture, so it gets a fresh database of its own
// for the whole suite and shares it between tests. Tests therefore read
// back only what they wrote: each appends as an actor of its own
// (OwnActor) and filters by it, or uses a method, license id or time window
// no other test uses. Pruning removes every event before a cutoff, so the
// prune tests work in windows far in the past, below every other test's
// events, and empty their window before they end. No test sleeps or
// measures time.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/status/error_details.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/audit_repository.h"
#include "storage/database.h"
#include "storage/dsn.h"
#include "storage/sql/connection_pool.h"
#include "storage/sql/field_checks.h"
#include "storage/sql/sql_audit_repository.h"
#include "tests/storage/audit_printers.h"
#include "tests/storage/storage_test_suite.h"

namespace lss::storage_test {

template <typename Backend>
class AuditTest : public StorageTest<Backend> {
 protected:
  AuditRepository& audit() { return this->database().audit(); }

  static std::string OwnActor() { return absl::StrCat("token-", CurrentTestName()); }

  // A license id no other test uses (no license row needed: the log keeps
  // events about licenses that do not exist).
  static int64_t UniqueLicenseId() { return 7'000'000'000 + StorageTest<Backend>::UniqueNumber(); }

  // A successful SyncLicense by this test's actor.
  static AuditEvent EventAt(absl::Time time) {
    AuditEvent event;
    event.event_time = time;
    event.actor = OwnActor();
    event.actor_role = "operator";
    event.method = "SyncLicense";
    event.target = "PLSK.00012345.0001";
    event.outcome = "OK";
    event.detail = "In Sync";
    event.request_id = "req-1";
    return event;
  }

  AuditEvent AppendOrDie(const AuditEvent& event) {
    absl::StatusOr<AuditEvent> appended = audit().Append(event);
    EXPECT_TRUE(appended.ok()) << appended.status();
    return appended.value_or(AuditEvent{});
  }

  // Every event matching `filter`, newest first, through pages of
  // `page_size`.
  std::vector<AuditEvent> ListAll(const AuditFilter& filter, int page_size = 1000) {
    std::vector<AuditEvent> all;
    int64_t before_event_id = 0;
    for (;;) {
      absl::StatusOr<std::vector<AuditEvent>> page =
          audit().List(filter, before_event_id, page_size);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok() || page->empty()) return all;
      before_event_id = page->back().event_id;
      all.insert(all.end(), page->begin(), page->end());
    }
  }

  static std::vector<int64_t> IdsOf(const std::vector<AuditEvent>& events) {
    std::vector<int64_t> ids;
    for (const AuditEvent& event : events) ids.push_back(event.event_id);
    return ids;
  }

  static AuditFilter ByActor(std::string actor) {
    AuditFilter filter;
    filter.actor = std::move(actor);
    return filter;
  }

  // The ids of this test's events, newest first.
  std::vector<int64_t> OwnIds() { return IdsOf(ListAll(ByActor(OwnActor()))); }

  // A repository over this suite's database that prunes `batch_size` rows
  // per transaction, on a pool of its own.
  std::unique_ptr<storage::SqlAuditRepository> RepositoryWithBatch(int64_t batch_size) {
    absl::StatusOr<DataSource> source = ParseDsn(this->raw().options().dsn);
    EXPECT_TRUE(source.ok()) << source.status();
    if (!source.ok()) return nullptr;
    absl::StatusOr<std::unique_ptr<storage::ConnectionPool>> pool =
        storage::ConnectionPool::Open(*source, this->raw().options().tls, this->raw().options().password, 1);
    EXPECT_TRUE(pool.ok()) << pool.status();
    if (!pool.ok()) return nullptr;
    pools_.push_back(*std::move(pool));
    return std::make_unique<storage::SqlAuditRepository>(*pools_.back(), batch_size);
  }

 private:
  std::vector<std::unique_ptr<storage::ConnectionPool>> pools_;  // outlive their repositories
};

TYPED_TEST_SUITE_P(AuditTest);

// ---------------------------------------------------------------- append

TYPED_TEST_P(AuditTest, AppendAssignsGrowingIdsAndListReadsEveryFieldBack) {
  AuditEvent full = this->EventAt(At(1) + absl::Nanoseconds(1'234'567));
  full.event_id = 99;  // ignored: the database assigns it
  full.license_id = this->UniqueLicenseId();
  full.actor_role = "admin";
  full.method = "PlaceUpgradeOrder";
  full.target = "upgrade-7f3a";
  full.outcome = "FAILED_PRECONDITION";
  full.detail = "KA code 266: upgrade not acceptable\n\t\"quoted\" ünïcödé";
  full.request_id = "8c2e4b1a-0d5f-4e8b-9a63-2f1c7d9e0b44";
  const AuditEvent appended = this->AppendOrDie(full);
  EXPECT_GT(appended.event_id, 0);
  EXPECT_NE(appended.event_id, 99);
  // Times are kept to the microsecond: what Append returns, List reads.
  EXPECT_EQ(appended.event_time, At(1) + absl::Microseconds(1'234));
  AuditEvent expected = full;
  expected.event_id = appended.event_id;
  expected.event_time = appended.event_time;
  EXPECT_EQ(appended, expected);

  // No license, and every optional text empty.
  AuditEvent bare;
  bare.event_time = At(2);
  bare.actor = this->OwnActor();
  bare.method = "SyncAll";
  const AuditEvent appended_bare = this->AppendOrDie(bare);
  EXPECT_GT(appended_bare.event_id, appended.event_id);
  EXPECT_FALSE(appended_bare.license_id.has_value());

  EXPECT_THAT(this->ListAll(this->ByActor(this->OwnActor())),
              ::testing::ElementsAre(appended_bare, appended));
}

TYPED_TEST_P(AuditTest, ConcurrentAppendsGetDistinctIds) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::vector<int64_t>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t, &ids] {
      for (int i = 0; i < kPerThread; ++i) {
        absl::StatusOr<AuditEvent> appended = this->audit().Append(this->EventAt(At(i)));
        EXPECT_TRUE(appended.ok()) << appended.status();
        if (appended.ok()) ids[t].push_back(appended->event_id);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<int64_t> distinct;
  for (const std::vector<int64_t>& of_thread : ids)
    distinct.insert(of_thread.begin(), of_thread.end());
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kThreads * kPerThread));
  const std::vector<int64_t> listed = this->OwnIds();
  EXPECT_EQ(std::set<int64_t>(listed.begin(), listed.end()), distinct);
}

TYPED_TEST_P(AuditTest, AppendRefusesOverlongFieldsAndWritesNothing) {
  struct Case {
    std::string field;
    size_t max;
    std::string AuditEvent::*member;
  };
  const std::vector<Case> cases = {
      {"actor", kMaxAuditActorLength, &AuditEvent::actor},
      {"actor_role", kMaxAuditActorRoleLength, &AuditEvent::actor_role},
      {"method", kMaxAuditMethodLength, &AuditEvent::method},
      {"target", kMaxAuditTargetLength, &AuditEvent::target},
      {"outcome", kMaxAuditOutcomeLength, &AuditEvent::outcome},
      {"detail", kMaxAuditDetailLength, &AuditEvent::detail},
      {"request_id", storage::kMaxRequestIdLength, &AuditEvent::request_id},
  };
  // Every event of this test has this method, or this actor (the one whose
  // method or actor is the overlong field): the count below sees them all.
  const std::string method = absl::StrCat("Method_", CurrentTestName());
  const std::string count_own = absl::StrCat("SELECT COUNT(*) FROM audit_events WHERE actor = '",
                                             this->OwnActor(), "' OR method = '", method, "'");
  for (const Case& test_case : cases) {
    AuditEvent event = this->EventAt(At(1));
    event.method = method;
    event.*test_case.member = std::string(test_case.max + 1, 'x');
    const absl::Status refused = this->audit().Append(event).status();
    EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument) << test_case.field;
    const std::vector<FieldViolation> violations = FieldViolationsOf(refused);
    ASSERT_EQ(violations.size(), 1u) << test_case.field << ": " << refused;
    EXPECT_EQ(violations[0].field, test_case.field);
  }
  AuditEvent no_method = this->EventAt(At(1));
  no_method.method = "";
  const absl::Status refused = this->audit().Append(no_method).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(refused).size(), 1u) << refused;
  EXPECT_EQ(FieldViolationsOf(refused)[0].field, "method");
  EXPECT_EQ(this->raw().QueryInt(count_own).value_or(-1), 0);

  // Every field at its full width fits the schema on every backend, and
  // reads back whole.
  AuditEvent widest = this->EventAt(At(2));
  for (const Case& test_case : cases) {
    widest.*test_case.member = std::string(test_case.max, 'w');
  }
  widest.actor =
      this->OwnActor() + std::string(kMaxAuditActorLength - this->OwnActor().size(), 'w');
  const AuditEvent appended = this->AppendOrDie(widest);
  EXPECT_THAT(this->ListAll(this->ByActor(widest.actor)), ::testing::ElementsAre(appended));
  EXPECT_EQ(appended.detail.size(), kMaxAuditDetailLength);
}

// ---------------------------------------------------------------- list

TYPED_TEST_P(AuditTest, ListIsNewestFirstAndPagedByEventId) {
  std::vector<int64_t> appended;
  // Times out of append order: the order is the event id's, not the time's.
  for (int i = 0; i < 7; ++i)
    appended.push_back(this->AppendOrDie(this->EventAt(At(10 - i))).event_id);
  const AuditFilter filter = this->ByActor(this->OwnActor());

  std::vector<std::vector<int64_t>> pages;
  int64_t before_event_id = 0;
  bool appended_while_paging = false;
  for (;;) {
    absl::StatusOr<std::vector<AuditEvent>> page = this->audit().List(filter, before_event_id, 3);
    ASSERT_TRUE(page.ok()) << page.status();
    if (page->empty()) break;
    pages.push_back(this->IdsOf(*page));
    before_event_id = page->back().event_id;
    if (!appended_while_paging) {
      // A newer event comes before the cursor: later pages never show it,
      // and show nothing twice.
      this->AppendOrDie(this->EventAt(At(20)));
      appended_while_paging = true;
    }
  }
  using ::testing::ElementsAre;
  EXPECT_THAT(pages, ElementsAre(ElementsAre(appended[6], appended[5], appended[4]),
                                 ElementsAre(appended[3], appended[2], appended[1]),
                                 ElementsAre(appended[0])));
  EXPECT_EQ(this->OwnIds().size(), 8u);
}

TYPED_TEST_P(AuditTest, ListFiltersByLicenseId) {
  const int64_t license = this->UniqueLicenseId();
  const int64_t other_license = this->UniqueLicenseId();
  AuditEvent event = this->EventAt(At(1));
  event.license_id = license;
  const AuditEvent first = this->AppendOrDie(event);
  event.license_id = other_license;
  this->AppendOrDie(event);
  event.license_id.reset();
  this->AppendOrDie(event);
  event.license_id = license;
  event.actor = "another-token";  // whoever it was
  const AuditEvent second = this->AppendOrDie(event);

  AuditFilter filter;
  filter.license_id = license;
  EXPECT_THAT(this->ListAll(filter), ::testing::ElementsAre(second, first));
  filter.license_id = this->UniqueLicenseId();
  EXPECT_THAT(this->ListAll(filter), ::testing::IsEmpty());
}

TYPED_TEST_P(AuditTest, ListFiltersByActorExactly) {
  const AuditEvent own = this->AppendOrDie(this->EventAt(At(1)));
  AuditEvent event = this->EventAt(At(1));
  event.actor = this->OwnActor() + "-2";
  const AuditEvent longer = this->AppendOrDie(event);
  event.actor = absl::AsciiStrToUpper(this->OwnActor());
  const AuditEvent upper = this->AppendOrDie(event);
  // The calls made without authentication have an actor of their own: "".
  event.actor = "";
  event.method = absl::StrCat("Method_", CurrentTestName());
  const AuditEvent anonymous = this->AppendOrDie(event);

  EXPECT_THAT(this->ListAll(this->ByActor(this->OwnActor())), ::testing::ElementsAre(own));
  EXPECT_THAT(this->ListAll(this->ByActor(longer.actor)), ::testing::ElementsAre(longer));
  EXPECT_THAT(this->ListAll(this->ByActor(upper.actor)), ::testing::ElementsAre(upper));
  const std::vector<AuditEvent> unauthenticated = this->ListAll(this->ByActor(""));
  EXPECT_THAT(unauthenticated, ::testing::Contains(anonymous));
  for (const AuditEvent& found : unauthenticated) EXPECT_EQ(found.actor, "") << found.event_id;
}

TYPED_TEST_P(AuditTest, ListFiltersByMethod) {
  const std::string method = absl::StrCat("Method_", CurrentTestName());
  AuditEvent event = this->EventAt(At(1));
  event.method = method;
  const AuditEvent first = this->AppendOrDie(event);
  event.method = method + "2";
  this->AppendOrDie(event);
  event.method = method;
  event.actor = "another-token";
  const AuditEvent second = this->AppendOrDie(event);

  AuditFilter filter;
  filter.method = method;
  EXPECT_THAT(this->ListAll(filter), ::testing::ElementsAre(second, first));
}

TYPED_TEST_P(AuditTest, ListFiltersByATimeRangeFromInclusiveToExclusive) {
  // A window in the future that no other test writes to.
  const absl::Time base = At(60'000'000);
  std::vector<AuditEvent> events;  // at base + 0 s ... base + 4 s
  for (int i = 0; i < 5; ++i) {
    AuditEvent event = this->EventAt(base + absl::Seconds(i));
    event.actor = absl::StrCat(this->OwnActor(), "-", i);  // shows the range alone decides
    events.push_back(this->AppendOrDie(event));
  }

  AuditFilter filter;
  filter.since = base + absl::Seconds(1);
  filter.before = base + absl::Seconds(3);
  EXPECT_THAT(this->ListAll(filter), ::testing::ElementsAre(events[2], events[1]));
  filter.before.reset();
  filter.since = base + absl::Seconds(3);
  EXPECT_THAT(this->ListAll(filter), ::testing::ElementsAre(events[4], events[3]));
  filter.since = base + absl::Seconds(4) + absl::Microseconds(1);
  EXPECT_THAT(this->ListAll(filter), ::testing::IsEmpty());
  filter.since = base;
  filter.before = base + absl::Microseconds(1);
  EXPECT_THAT(this->ListAll(filter), ::testing::ElementsAre(events[0]));
}

TYPED_TEST_P(AuditTest, ListCombinesFilters) {
  const int64_t license = this->UniqueLicenseId();
  AuditEvent event = this->EventAt(At(5));
  event.license_id = license;
  event.method = "PlaceUpgradeOrder";
  const AuditEvent target = this->AppendOrDie(event);
  // Each differs from the target in one filtered field.
  AuditEvent other = event;
  other.license_id = this->UniqueLicenseId();
  this->AppendOrDie(other);
  other = event;
  other.actor += "-other";
  this->AppendOrDie(other);
  other = event;
  other.method = "SyncLicense";
  this->AppendOrDie(other);
  other = event;
  other.event_time = At(6);
  this->AppendOrDie(other);

  AuditFilter filter;
  filter.license_id = license;
  filter.actor = this->OwnActor();
  filter.method = "PlaceUpgradeOrder";
  filter.since = At(5);
  filter.before = At(6);
  EXPECT_THAT(this->ListAll(filter), ::testing::ElementsAre(target));
}

TYPED_TEST_P(AuditTest, ListRejectsANonPositiveLimit) {
  const absl::Status zero = this->audit().List({}, 0, 0).status();
  EXPECT_EQ(zero.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(zero).size(), 1u) << zero;
  EXPECT_EQ(FieldViolationsOf(zero)[0].field, "limit");
  EXPECT_EQ(this->audit().List({}, 0, -1).status().code(), absl::StatusCode::kInvalidArgument);
}

// ---------------------------------------------------------------- prune

TYPED_TEST_P(AuditTest, PruneRemovesExactlyTheEventsBeforeTheCutoff) {
  const absl::Time base = At(-40'000'000);
  std::vector<int64_t> ids;  // oldest first
  for (int i : {0, 1, 2, 3, 3, 4})
    ids.push_back(this->AppendOrDie(this->EventAt(base + absl::Seconds(i))).event_id);

  absl::StatusOr<int64_t> pruned = this->audit().PruneBefore(base + absl::Seconds(3));
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, 3);
  // The events at the cutoff itself stay.
  EXPECT_THAT(this->OwnIds(), ::testing::ElementsAre(ids[5], ids[4], ids[3]));

  pruned = this->audit().PruneBefore(base + absl::Seconds(3));
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, 0);

  pruned = this->audit().PruneBefore(base + absl::Seconds(4) + absl::Microseconds(1));
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, 3);
  EXPECT_THAT(this->OwnIds(), ::testing::IsEmpty());
}

TYPED_TEST_P(AuditTest, PruneWorksThroughManyBatchesOfAnySize) {
  // Each round in a window of its own, later than the one before, so that
  // a round's prune finds only its own events older than its cutoff.
  int round = 0;
  for (int64_t batch_size : {1, 2, 3, 5, 1000}) {
    SCOPED_TRACE(absl::StrCat("batch size ", batch_size));
    const absl::Time base = At(-50'000'000 + 1000 * round++);
    std::unique_ptr<storage::SqlAuditRepository> repository = this->RepositoryWithBatch(batch_size);
    ASSERT_NE(repository, nullptr);

    // 13 events before the cutoff, appended out of time order, five of
    // them at one time (so that batches end inside a run of equal times),
    // then two at and after the cutoff.
    int64_t older = 0;
    for (int seconds : {9, 2, 5, 5, 5, 5, 5, 1, 7, 3, 3, 0, 8}) {
      this->AppendOrDie(this->EventAt(base + absl::Seconds(seconds)));
      ++older;
    }
    const AuditEvent at_cutoff = this->AppendOrDie(this->EventAt(base + absl::Seconds(10)));
    const AuditEvent after = this->AppendOrDie(this->EventAt(base + absl::Seconds(11)));

    absl::StatusOr<int64_t> pruned = repository->PruneBefore(base + absl::Seconds(10));
    ASSERT_TRUE(pruned.ok()) << pruned.status();
    EXPECT_EQ(*pruned, older);
    EXPECT_THAT(this->OwnIds(), ::testing::ElementsAre(after.event_id, at_cutoff.event_id));

    // Leave the window empty for the next round.
    pruned = repository->PruneBefore(base + absl::Seconds(12));
    ASSERT_TRUE(pruned.ok()) << pruned.status();
    EXPECT_EQ(*pruned, 2);
  }
}

REGISTER_TYPED_TEST_SUITE_P(AuditTest, AppendAssignsGrowingIdsAndListReadsEveryFieldBack,
                            ConcurrentAppendsGetDistinctIds,
                            AppendRefusesOverlongFieldsAndWritesNothing,
                            ListIsNewestFirstAndPagedByEventId, ListFiltersByLicenseId,
                            ListFiltersByActorExactly, ListFiltersByMethod,
                            ListFiltersByATimeRangeFromInclusiveToExclusive, ListCombinesFilters,
                            ListRejectsANonPositiveLimit,
                            PruneRemovesExactlyTheEventsBeforeTheCutoff,
                            PruneWorksThroughManyBatchesOfAnySize);

}  // namespace lss::storage_test
