// The storage test suite, one source for every backend: a type-parameterized
// GoogleTest suite instantiated once per backend, "Sqlite" in
// sqlite_storage_test.cc and "MariaDb" in mariadb_storage_test.cc.
//
// Each instantiation opens one fresh database for the whole suite
// (TestDatabase), so tests never assume an empty table: each works on keys
// and a license class of its own (UniqueKey, OwnClass) and filters by them.
// No test sleeps or measures time.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <latch>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/status/error_details.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/database.h"
#include "storage/license_repository.h"
#include "storage/sql/migration.h"
#include "tests/storage/license_printers.h"
#include "tests/storage/test_database.h"

namespace lss::storage_test {

// A fixed, microsecond-aligned clock: what goes in comes back equal.
inline absl::Time At(int64_t seconds) { return absl::FromUnixSeconds(1'700'000'000 + seconds); }

inline std::string CurrentTestName() {
  return ::testing::UnitTest::GetInstance()->current_test_info()->name();
}

template <typename Backend>
class StorageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<TestDatabase>> test_database = Backend::Create();
    if (!test_database.ok()) {
      suite_error_ = new absl::Status(test_database.status());
      return;
    }
    absl::StatusOr<std::unique_ptr<Database>> database =
        Database::Open((*test_database)->options());
    if (!database.ok()) {
      suite_error_ = new absl::Status(database.status());
      return;
    }
    test_database_ = test_database->release();
    database_ = database->release();
  }

  static void TearDownTestSuite() {
    delete database_;  // closes its connections before the database is dropped
    database_ = nullptr;
    delete test_database_;
    test_database_ = nullptr;
    delete suite_error_;
    suite_error_ = nullptr;
  }

  void SetUp() override {
    // A missing MariaDB fails every test with the reason, never skips.
    ASSERT_EQ(suite_error_, nullptr) << "cannot set up the test database: " << *suite_error_;
  }

  Database& database() { return *database_; }
  LicenseRepository& repo() { return database_->licenses(); }
  TestDatabase& raw() { return *test_database_; }

  // A number no other test of the suite gets.
  static int UniqueNumber() {
    static std::atomic<int> next{1};
    return next.fetch_add(1);
  }

  // A key number no other test uses: "<PREFIX>.<8 digits>.<revision>".
  static std::string UniqueKey(absl::string_view prefix = "PLSK", int revision = 1) {
    return absl::StrFormat("%s.%08d.%04d", prefix, UniqueNumber(), revision);
  }

  // A license class of this test's own, to list its licenses alone.
  static std::string OwnClass() { return absl::StrCat("CLASS_", CurrentTestName()); }

  static NewLicense NewFor(std::string key_number, std::string license_class = "PLESK_WEB_PRO") {
    NewLicense license;
    license.config.key_number = std::move(key_number);
    license.config.license_class = std::move(license_class);
    license.config.capacity = 30;
    license.config.features = {"LANGUAGE_PACK", "UNLIMITED_DOMAINS"};
    license.config.additional_keys = {{"KAV.00005821.0001", "KASPERSKY_ANTIVIRUS"}};
    license.config.renewal_due_time = At(86'400 * 20);
    license.config.expire_time = At(86'400 * 30);
    return license;
  }

  LicenseRecord CreateOrDie(const NewLicense& license, absl::Time now = At(0)) {
    absl::StatusOr<LicenseRecord> created = repo().Create(license, now);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.value_or(LicenseRecord{});
  }

  // Every license of `filter`, through pages of `page_size`.
  std::vector<LicenseRecord> ListAll(const LicenseFilter& filter, int page_size = 1000) {
    std::vector<LicenseRecord> all;
    int64_t after_id = 0;
    for (;;) {
      absl::StatusOr<std::vector<LicenseRecord>> page = repo().List(filter, after_id, page_size);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok() || page->empty()) return all;
      after_id = page->back().license_id;
      all.insert(all.end(), page->begin(), page->end());
    }
  }

  std::vector<int64_t> IdsOf(const LicenseFilter& filter) {
    std::vector<int64_t> ids;
    for (const LicenseRecord& record : ListAll(filter)) ids.push_back(record.license_id);
    return ids;
  }

  // Every history entry of a license, oldest first.
  std::vector<SyncHistoryEntry> HistoryOldestFirst(int64_t license_id) {
    std::vector<SyncHistoryEntry> all;
    int64_t before_id = 0;
    for (;;) {
      absl::StatusOr<std::vector<SyncHistoryEntry>> page =
          repo().ListHistory(license_id, before_id, 50);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok() || page->empty()) break;
      before_id = page->back().entry_id;
      all.insert(all.end(), page->begin(), page->end());
    }
    std::reverse(all.begin(), all.end());
    return all;
  }

  static SyncOutcome InSyncAt(absl::Time time, std::string job_id = "") {
    SyncOutcome outcome;
    outcome.result.status = SyncStatus::kInSync;
    outcome.sync_time = time;
    outcome.job_id = std::move(job_id);
    return outcome;
  }

  static SyncOutcome NotInSyncAt(absl::Time time) {
    SyncOutcome outcome;
    outcome.result.status = SyncStatus::kNotInSync;
    outcome.result.mismatches = {
        {MismatchKind::kCapacityChanged, "30", "100"},
        {MismatchKind::kFeaturesAdded, "", "NODEJS\tSUPPORT"},
    };
    outcome.result.message = "capacity changed from 30 to 100; features added: NODEJS";
    outcome.ka_key_number = "PLSK.99999999.0002";
    outcome.sync_time = time;
    return outcome;
  }

  static inline TestDatabase* test_database_ = nullptr;
  static inline Database* database_ = nullptr;
  static inline absl::Status* suite_error_ = nullptr;
};

TYPED_TEST_SUITE_P(StorageTest);

// ---------------------------------------------------------------- schema

TYPED_TEST_P(StorageTest, MigrationsAreAppliedOnceAndRecorded) {
  const std::vector<storage::Migration>& migrations = storage::EmbeddedMigrations();
  ASSERT_FALSE(migrations.empty());
  EXPECT_EQ(this->raw().QueryInt("SELECT COUNT(*) FROM schema_migrations").value_or(-1),
            static_cast<int64_t>(migrations.size()));
  for (const storage::Migration& migration : migrations) {
    EXPECT_EQ(this->raw()
                  .QueryInt(absl::StrCat(
                      "SELECT COUNT(*) FROM schema_migrations WHERE version = ", migration.version,
                      " AND name = '", migration.name, "' AND applied_at > 0"))
                  .value_or(-1),
              1)
        << migration.name;
  }
  EXPECT_TRUE(this->raw().QueryInt("SELECT COUNT(*) FROM licenses").ok());
  EXPECT_TRUE(this->raw().QueryInt("SELECT COUNT(*) FROM sync_history").ok());
}

TYPED_TEST_P(StorageTest, ReopeningIsANoOp) {
  const absl::StatusOr<int64_t> before =
      this->raw().QueryInt("SELECT SUM(version) + SUM(applied_at) FROM schema_migrations");
  ASSERT_TRUE(before.ok()) << before.status();
  const LicenseRecord created = this->CreateOrDie(this->NewFor(this->UniqueKey()));

  absl::StatusOr<std::unique_ptr<Database>> again = Database::Open(this->raw().options());
  ASSERT_TRUE(again.ok()) << again.status();

  EXPECT_EQ(this->raw()
                .QueryInt("SELECT SUM(version) + SUM(applied_at) FROM schema_migrations")
                .value_or(-1),
            *before);
  absl::StatusOr<LicenseRecord> seen = (*again)->licenses().Get(created.license_id);
  ASSERT_TRUE(seen.ok()) << seen.status();
  EXPECT_EQ(*seen, created);
}

TYPED_TEST_P(StorageTest, ConcurrentOpensApplyEachMigrationOnce) {
  // A database of its own: the suite's is migrated already.
  absl::StatusOr<std::unique_ptr<TestDatabase>> fresh = TypeParam::Create();
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  constexpr int kReplicas = 6;
  std::latch start(kReplicas);
  std::vector<absl::Status> results(kReplicas);
  std::vector<std::thread> replicas;
  for (int i = 0; i < kReplicas; ++i) {
    replicas.emplace_back([&, i] {
      DatabaseOptions options = (*fresh)->options();
      options.pool_size = 2;
      start.arrive_and_wait();  // all open at once
      absl::StatusOr<std::unique_ptr<Database>> database = Database::Open(options);
      results[i] = database.status();
    });
  }
  for (std::thread& replica : replicas) replica.join();
  for (const absl::Status& result : results) EXPECT_TRUE(result.ok()) << result;

  const int64_t expected = static_cast<int64_t>(storage::EmbeddedMigrations().size());
  EXPECT_EQ((*fresh)->QueryInt("SELECT COUNT(*) FROM schema_migrations").value_or(-1), expected);
  EXPECT_EQ(
      (*fresh)->QueryInt("SELECT COUNT(DISTINCT version) FROM schema_migrations").value_or(-1),
      expected);
}

TYPED_TEST_P(StorageTest, OpenFailsUnavailableWhenTheDatabaseIsUnreachable) {
  const DatabaseOptions options = this->raw().UnreachableOptions();
  absl::StatusOr<std::unique_ptr<Database>> database = Database::Open(options);
  ASSERT_FALSE(database.ok());
  EXPECT_EQ(database.status().code(), absl::StatusCode::kUnavailable) << database.status();
  EXPECT_EQ(ReasonOf(database.status()), kReasonDatabaseUnavailable);
  EXPECT_THAT(std::string(database.status().message()),
              ::testing::Not(::testing::HasSubstr(options.password)));
}

TYPED_TEST_P(StorageTest, OpenRejectsAMalformedDsn) {
  DatabaseOptions options;
  options.dsn = "postgres://user@host/db";
  absl::StatusOr<std::unique_ptr<Database>> database = Database::Open(options);
  ASSERT_FALSE(database.ok());
  EXPECT_EQ(database.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(database.status()).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(database.status())[0].field, "db");
}

TYPED_TEST_P(StorageTest, PingsAndNamesItsBackend) {
  EXPECT_TRUE(this->database().Ping().ok());
  EXPECT_THAT(this->database().BackendName(), ::testing::AnyOf("sqlite", "mysql"));
}

// ---------------------------------------------------------------- create, get, find

TYPED_TEST_P(StorageTest, CreateStoresEveryFieldAndGetReadsItBack) {
  NewLicense license = this->NewFor(this->UniqueKey());
  // Values that need escaping in the TEXT columns.
  license.config.features = {"",
                             "A\tB",
                             "line\nbreak",
                             "back\\slash",
                             "\xC3\xBCml\xC3\xA4ut",
                             std::string("nul\0byte", 8)};
  license.config.additional_keys = {{"KAV.00005821.0001", "KASPERSKY\tANTIVIRUS"},
                                    {"NGX.00000001.0001", ""}};
  license.sync_status = SyncStatus::kInSync;
  license.synced_at = At(5);
  license.request_id = "";

  const LicenseRecord created = this->CreateOrDie(license, At(7));
  EXPECT_GT(created.license_id, 0);
  EXPECT_EQ(created.config, license.config);
  EXPECT_EQ(created.state, LicenseState::kActive);
  EXPECT_EQ(created.sync.status, SyncStatus::kInSync);
  EXPECT_TRUE(created.sync.mismatches.empty());
  EXPECT_EQ(created.last_synced_at, absl::optional<absl::Time>(At(5)));
  EXPECT_EQ(created.last_sync_error, "");
  EXPECT_EQ(created.create_time, At(7));
  EXPECT_EQ(created.update_time, At(7));
  EXPECT_EQ(created.version, 1);
  EXPECT_FALSE(created.order_placing);

  absl::StatusOr<LicenseRecord> got = this->repo().Get(created.license_id);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, created);
}

TYPED_TEST_P(StorageTest, CreateTruncatesTimesToMicroseconds) {
  const absl::Time now = At(1) + absl::Nanoseconds(1'234'567);
  const LicenseRecord created = this->CreateOrDie(this->NewFor(this->UniqueKey()), now);
  EXPECT_EQ(created.create_time, At(1) + absl::Microseconds(1'234));
  absl::StatusOr<LicenseRecord> got = this->repo().Get(created.license_id);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, created);
}

TYPED_TEST_P(StorageTest, FindsByKeyNumberWithWithoutOrWithAnotherRevision) {
  const std::string key = this->UniqueKey("PLSK", 3);  // PLSK.NNNNNNNN.0003
  const std::string base = key.substr(0, key.size() - 5);
  const LicenseRecord created = this->CreateOrDie(this->NewFor(key));

  for (const std::string& query : {key, base, base + ".0001", base + ".0009"}) {
    absl::StatusOr<LicenseRecord> found = this->repo().FindByKeyNumber(query);
    ASSERT_TRUE(found.ok()) << query << ": " << found.status();
    EXPECT_EQ(found->license_id, created.license_id) << query;
    EXPECT_EQ(found->config.key_number, key);
  }
  absl::StatusOr<LicenseRecord> other_prefix = this->repo().FindByKeyNumber("KAV" + base.substr(4));
  EXPECT_EQ(other_prefix.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ReasonOf(other_prefix.status()), kReasonLicenseNotFound);
}

TYPED_TEST_P(StorageTest, FindByKeyNumberRejectsMalformedKeyNumbers) {
  for (const char* malformed :
       {"", "PLSK", "PLSK.", ".00012345", "PLSK.0001234a", "PLSK.00012345.00a1",
        "PLSK.00012345.0001.7", "PL SK.00012345", "PLSK..00012345", "PLSK.%"}) {
    absl::StatusOr<LicenseRecord> found = this->repo().FindByKeyNumber(malformed);
    EXPECT_EQ(found.status().code(), absl::StatusCode::kInvalidArgument) << malformed;
    EXPECT_EQ(ReasonOf(found.status()), "MALFORMED_KEY_NUMBER") << malformed;
    const std::vector<FieldViolation> violations = FieldViolationsOf(found.status());
    ASSERT_EQ(violations.size(), 1u) << malformed;
    EXPECT_EQ(violations[0].field, "key_number");
  }
}

TYPED_TEST_P(StorageTest, CreateRefusesASecondLicenseForTheSameKey) {
  const std::string key = this->UniqueKey("PLSK", 1);
  this->CreateOrDie(this->NewFor(key));
  const std::string other_revision = key.substr(0, key.size() - 4) + "0002";

  absl::StatusOr<LicenseRecord> again = this->repo().Create(this->NewFor(other_revision), At(1));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists) << again.status();
  EXPECT_EQ(ReasonOf(again.status()), kReasonLicenseAlreadyExists);

  absl::StatusOr<LicenseRecord> malformed = this->repo().Create(this->NewFor("PLSK"), At(1));
  EXPECT_EQ(malformed.status().code(), absl::StatusCode::kInvalidArgument);
}

TYPED_TEST_P(StorageTest, CreateIsIdempotentByRequestId) {
  NewLicense first = this->NewFor(this->UniqueKey());
  first.request_id = absl::StrCat("request-", CurrentTestName(), "-1");
  first.request_fingerprint = "fingerprint-1";
  const LicenseRecord created = this->CreateOrDie(first, At(1));

  // The same request again, even for another key, answers with its license.
  NewLicense retry = this->NewFor(this->UniqueKey());
  retry.request_id = first.request_id;
  retry.request_fingerprint = first.request_fingerprint;
  const LicenseRecord retried = this->CreateOrDie(retry, At(2));
  EXPECT_EQ(retried, created);

  // ... as it is now, after a change.
  absl::StatusOr<LicenseRecord> synced =
      this->repo().RecordSync(created.license_id, this->NotInSyncAt(At(3)));
  ASSERT_TRUE(synced.ok()) << synced.status();
  EXPECT_EQ(this->CreateOrDie(retry, At(4)), *synced);

  absl::StatusOr<absl::optional<LicenseRecord>> by_request =
      this->repo().FindCreatedBy(first.request_id, first.request_fingerprint);
  ASSERT_TRUE(by_request.ok()) << by_request.status();
  EXPECT_EQ(*by_request, absl::optional<LicenseRecord>(*synced));
  by_request = this->repo().FindCreatedBy("no-such-request", "");
  ASSERT_TRUE(by_request.ok()) << by_request.status();
  EXPECT_FALSE(by_request->has_value());

  // The same request_id for a request with other parameters: refused,
  // nothing stored, the first license named.
  NewLicense other_request = this->NewFor(this->UniqueKey());
  other_request.request_id = first.request_id;
  other_request.request_fingerprint = "another-fingerprint";
  absl::Status reused = this->repo().Create(other_request, At(5)).status();
  EXPECT_TRUE(absl::IsFailedPrecondition(reused)) << reused;
  EXPECT_EQ(ReasonOf(reused), kReasonRequestIdReused);
  EXPECT_EQ(MetadataOf(reused, "license_id"), absl::StrCat(created.license_id));
  reused = this->repo().FindCreatedBy(first.request_id, "another-fingerprint").status();
  EXPECT_EQ(ReasonOf(reused), kReasonRequestIdReused);
  EXPECT_FALSE(this->repo().FindByKeyNumber(other_request.config.key_number).ok());

  // Another request for a key that is taken is refused.
  NewLicense other = this->NewFor(first.config.key_number);
  other.request_id = absl::StrCat("request-", CurrentTestName(), "-2");
  EXPECT_EQ(this->repo().Create(other, At(5)).status().code(), absl::StatusCode::kAlreadyExists);
}

TYPED_TEST_P(StorageTest, ConcurrentCreatesWithOneRequestIdStoreOneLicense) {
  NewLicense license = this->NewFor(this->UniqueKey(), this->OwnClass());
  license.request_id = absl::StrCat("request-", CurrentTestName());
  constexpr int kThreads = 8;
  std::latch start(kThreads);
  std::vector<absl::StatusOr<LicenseRecord>> results(kThreads, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      results[i] = this->repo().Create(license, At(i));
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_TRUE(results[0].ok()) << results[0].status();
  for (const absl::StatusOr<LicenseRecord>& result : results) {
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->license_id, results[0]->license_id);
  }
  LicenseFilter filter;
  filter.license_class = this->OwnClass();
  EXPECT_EQ(this->IdsOf(filter).size(), 1u);
}

TYPED_TEST_P(StorageTest, CreateManySkipsExistingKeysAndCountsThem) {
  const std::string license_class = this->OwnClass();
  std::vector<NewLicense> licenses;
  for (int i = 0; i < 1200; ++i) licenses.push_back(this->NewFor(this->UniqueKey(), license_class));

  // 200 of them exist already (under another revision for half of those).
  std::vector<NewLicense> existing(licenses.begin() + 500, licenses.begin() + 700);
  for (size_t i = 0; i < existing.size(); i += 2) existing[i].config.key_number.back() = '7';
  absl::StatusOr<CreateManyResult> first = this->repo().CreateMany(existing, At(1));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->created, 200);
  EXPECT_EQ(first->already_present, 0);

  // And 10 appear twice in the same call.
  std::vector<NewLicense> batch = licenses;
  batch.insert(batch.end(), licenses.begin(), licenses.begin() + 10);
  absl::StatusOr<CreateManyResult> second = this->repo().CreateMany(batch, At(2));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->created, 1000);
  EXPECT_EQ(second->already_present, 210);

  LicenseFilter filter;
  filter.license_class = license_class;
  const std::vector<LicenseRecord> stored = this->ListAll(filter);
  ASSERT_EQ(stored.size(), 1200u);
  std::set<std::string> keys;
  for (const LicenseRecord& record : stored) {
    keys.insert(record.config.key_number.substr(0, record.config.key_number.size() - 5));
    EXPECT_EQ(record.version, 1);
    EXPECT_EQ(record.sync.status, SyncStatus::kNeverSynced);
  }
  EXPECT_EQ(keys.size(), 1200u);
  // A stored license reads back whole.
  absl::StatusOr<LicenseRecord> one = this->repo().FindByKeyNumber(licenses[42].config.key_number);
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(one->config, licenses[42].config);
  EXPECT_EQ(one->create_time, At(2));
}

TYPED_TEST_P(StorageTest, CreateManyStoresNothingWhenOneKeyIsMalformed) {
  std::vector<NewLicense> licenses = {this->NewFor(this->UniqueKey(), this->OwnClass()),
                                      this->NewFor("NOT A KEY", this->OwnClass())};
  absl::StatusOr<CreateManyResult> result = this->repo().CreateMany(licenses, At(1));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  LicenseFilter filter;
  filter.license_class = this->OwnClass();
  EXPECT_TRUE(this->IdsOf(filter).empty());

  absl::StatusOr<CreateManyResult> none = this->repo().CreateMany({}, At(1));
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->created, 0);
  EXPECT_EQ(none->already_present, 0);
}

// ---------------------------------------------------------------- list

TYPED_TEST_P(StorageTest, ListFiltersBySyncStatus) {
  const std::string license_class = this->OwnClass();
  const LicenseRecord never = this->CreateOrDie(this->NewFor(this->UniqueKey(), license_class));
  NewLicense in_sync_license = this->NewFor(this->UniqueKey(), license_class);
  in_sync_license.sync_status = SyncStatus::kInSync;
  in_sync_license.synced_at = At(0);
  const LicenseRecord in_sync = this->CreateOrDie(in_sync_license);
  const LicenseRecord not_in_sync =
      this->CreateOrDie(this->NewFor(this->UniqueKey(), license_class));
  ASSERT_TRUE(this->repo().RecordSync(not_in_sync.license_id, this->NotInSyncAt(At(1))).ok());

  LicenseFilter filter;
  filter.license_class = license_class;
  filter.sync_status = SyncStatus::kNeverSynced;
  EXPECT_THAT(this->IdsOf(filter), ::testing::ElementsAre(never.license_id));
  filter.sync_status = SyncStatus::kInSync;
  EXPECT_THAT(this->IdsOf(filter), ::testing::ElementsAre(in_sync.license_id));
  filter.sync_status = SyncStatus::kNotInSync;
  EXPECT_THAT(this->IdsOf(filter), ::testing::ElementsAre(not_in_sync.license_id));
}

TYPED_TEST_P(StorageTest, ListFiltersByState) {
  const std::string license_class = this->OwnClass();
  const LicenseRecord active = this->CreateOrDie(this->NewFor(this->UniqueKey(), license_class));
  const LicenseRecord terminated =
      this->CreateOrDie(this->NewFor(this->UniqueKey(), license_class));
  // No repository method changes the state yet.
  ASSERT_TRUE(this->raw()
                  .Execute(absl::StrCat(
                      "UPDATE licenses SET state = ", static_cast<int>(LicenseState::kTerminated),
                      " WHERE license_id = ", terminated.license_id))
                  .ok());

  LicenseFilter filter;
  filter.license_class = license_class;
  filter.state = LicenseState::kActive;
  EXPECT_THAT(this->IdsOf(filter), ::testing::ElementsAre(active.license_id));
  filter.state = LicenseState::kTerminated;
  EXPECT_THAT(this->IdsOf(filter), ::testing::ElementsAre(terminated.license_id));
  filter.state = LicenseState::kExpired;
  EXPECT_THAT(this->IdsOf(filter), ::testing::IsEmpty());
}

TYPED_TEST_P(StorageTest, ListFiltersByLicenseClassExactly) {
  const std::string license_class = this->OwnClass();
  const LicenseRecord mine = this->CreateOrDie(this->NewFor(this->UniqueKey(), license_class));
  this->CreateOrDie(this->NewFor(this->UniqueKey(), license_class + "_OTHER"));
  this->CreateOrDie(this->NewFor(this->UniqueKey(), absl::AsciiStrToLower(license_class)));

  LicenseFilter filter;
  filter.license_class = license_class;
  EXPECT_THAT(this->IdsOf(filter), ::testing::ElementsAre(mine.license_id));
}

TYPED_TEST_P(StorageTest, ListFiltersByKeyNumberPrefixLiterally) {
  // '_' and '%' are LIKE wildcards: in a prefix they must match themselves
  // only (and no key number contains them). Matching is case-sensitive on
  // both backends.
  std::string tag;
  for (int n = this->UniqueNumber(), i = 0; i < 5; ++i, n /= 26) tag.push_back(static_cast<char>('A' + n % 26));
  const LicenseRecord a = this->CreateOrDie(this->NewFor(tag + "A.00000001.0001"));
  const LicenseRecord b = this->CreateOrDie(this->NewFor(tag + "B.00000001.0001"));
  const LicenseRecord ab = this->CreateOrDie(this->NewFor(tag + "AB.00000001.0001"));

  LicenseFilter filter;
  filter.key_number_prefix = tag + "A.";
  EXPECT_THAT(this->IdsOf(filter), ::testing::ElementsAre(a.license_id));
  filter.key_number_prefix = tag + "A";
  EXPECT_THAT(this->IdsOf(filter), ::testing::ElementsAre(a.license_id, ab.license_id));
  filter.key_number_prefix = tag;
  EXPECT_THAT(this->IdsOf(filter), ::testing::ElementsAre(a.license_id, b.license_id, ab.license_id));
  filter.key_number_prefix = tag + "_";
  EXPECT_THAT(this->IdsOf(filter), ::testing::IsEmpty());
  filter.key_number_prefix = tag + "%";
  EXPECT_THAT(this->IdsOf(filter), ::testing::IsEmpty());
  filter.key_number_prefix = absl::AsciiStrToLower(tag);
  EXPECT_THAT(this->IdsOf(filter), ::testing::IsEmpty());
}

TYPED_TEST_P(StorageTest, ListFiltersByUsableUntilBefore) {
  const std::string license_class = this->OwnClass();
  std::vector<int64_t> ids;
  for (int day : {10, 20, 30}) {
    NewLicense license = this->NewFor(this->UniqueKey(), license_class);
    license.config.expire_time = At(86'400 * day);
    ids.push_back(this->CreateOrDie(license).license_id);
  }
  LicenseFilter filter;
  filter.license_class = license_class;
  filter.usable_until_before = At(86'400 * 20);  // strictly before
  EXPECT_THAT(this->IdsOf(filter), ::testing::ElementsAre(ids[0]));
  filter.usable_until_before = At(86'400 * 20) + absl::Microseconds(1);
  EXPECT_THAT(this->IdsOf(filter), ::testing::ElementsAre(ids[0], ids[1]));
  filter.usable_until_before = At(0);
  EXPECT_THAT(this->IdsOf(filter), ::testing::IsEmpty());
}

TYPED_TEST_P(StorageTest, ListCombinesFilters) {
  const std::string license_class = this->OwnClass();
  const LicenseRecord target = this->CreateOrDie(this->NewFor(this->UniqueKey(), license_class));
  ASSERT_TRUE(this->repo().RecordSync(target.license_id, this->NotInSyncAt(At(1))).ok());
  const LicenseRecord other = this->CreateOrDie(this->NewFor(this->UniqueKey(), license_class));
  ASSERT_TRUE(this->repo().RecordSync(other.license_id, this->InSyncAt(At(1))).ok());

  LicenseFilter filter;
  filter.license_class = license_class;
  filter.sync_status = SyncStatus::kNotInSync;
  filter.state = LicenseState::kActive;
  filter.key_number_prefix = "PLSK.";
  filter.usable_until_before = At(86'400 * 31);
  EXPECT_THAT(this->IdsOf(filter), ::testing::ElementsAre(target.license_id));
}

TYPED_TEST_P(StorageTest, ListPagesOverEveryRowExactlyOnce) {
  const std::string license_class = this->OwnClass();
  std::vector<NewLicense> licenses;
  for (int i = 0; i < 57; ++i) licenses.push_back(this->NewFor(this->UniqueKey(), license_class));
  ASSERT_TRUE(this->repo().CreateMany(licenses, At(1)).ok());

  LicenseFilter filter;
  filter.license_class = license_class;
  std::vector<int64_t> seen;
  int64_t after_id = 0;
  int pages = 0;
  bool inserted_while_paging = false;
  for (;;) {
    absl::StatusOr<std::vector<LicenseRecord>> page = this->repo().List(filter, after_id, 10);
    ASSERT_TRUE(page.ok()) << page.status();
    if (page->empty()) break;
    ++pages;
    EXPECT_LE(page->size(), 10u);
    for (const LicenseRecord& record : *page) seen.push_back(record.license_id);
    after_id = page->back().license_id;
    if (!inserted_while_paging) {
      // A license created mid-listing comes later in the order: still seen.
      this->CreateOrDie(this->NewFor(this->UniqueKey(), license_class));
      inserted_while_paging = true;
    }
  }
  EXPECT_EQ(pages, 6);
  EXPECT_EQ(seen.size(), 58u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(std::set<int64_t>(seen.begin(), seen.end()).size(), seen.size());
}

TYPED_TEST_P(StorageTest, ListRejectsANonPositiveLimit) {
  EXPECT_EQ(this->repo().List({}, 0, 0).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(this->repo().ListHistory(1, 0, -1).status().code(), absl::StatusCode::kInvalidArgument);
}

// ---------------------------------------------------------------- sync results

TYPED_TEST_P(StorageTest, RecordSyncBumpsTheVersionOnlyWhenTheResultChanges) {
  const LicenseRecord created = this->CreateOrDie(this->NewFor(this->UniqueKey()), At(0));

  absl::StatusOr<LicenseRecord> first =
      this->repo().RecordSync(created.license_id, this->InSyncAt(At(10)));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->version, 2);  // never synced -> in sync
  EXPECT_EQ(first->sync.status, SyncStatus::kInSync);
  EXPECT_EQ(first->last_synced_at, absl::optional<absl::Time>(At(10)));
  EXPECT_EQ(first->update_time, At(10));

  absl::StatusOr<LicenseRecord> same =
      this->repo().RecordSync(created.license_id, this->InSyncAt(At(20)));
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(same->version, 2);
  EXPECT_EQ(same->update_time, At(10));
  EXPECT_EQ(same->last_synced_at, absl::optional<absl::Time>(At(20)));

  absl::StatusOr<LicenseRecord> changed =
      this->repo().RecordSync(created.license_id, this->NotInSyncAt(At(30)));
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(changed->version, 3);
  EXPECT_EQ(changed->sync, this->NotInSyncAt(At(30)).result);
  EXPECT_EQ(changed->update_time, At(30));

  // Sync never rewrites billing's configuration, and reads agree with
  // what the writes returned.
  EXPECT_EQ(changed->config, created.config);
  EXPECT_EQ(changed->state, created.state);
  EXPECT_EQ(changed->create_time, created.create_time);
  absl::StatusOr<LicenseRecord> got = this->repo().Get(created.license_id);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, *changed);
}

// An import stores In Sync with no message; the first sync's "In Sync" is
// the same finding and keeps the etag (an upgrade session started from it
// stays valid).
TYPED_TEST_P(StorageTest, RecordSyncOfAnImportFindingNothingNewKeepsTheVersion) {
  NewLicense imported = this->NewFor(this->UniqueKey());
  imported.sync_status = SyncStatus::kInSync;
  imported.synced_at = At(0);
  const LicenseRecord created = this->CreateOrDie(imported, At(0));
  SyncOutcome in_sync = this->InSyncAt(At(10));
  in_sync.result.message = "In Sync";
  absl::StatusOr<LicenseRecord> synced = this->repo().RecordSync(created.license_id, in_sync);
  ASSERT_TRUE(synced.ok()) << synced.status();
  EXPECT_EQ(synced->version, created.version);
  EXPECT_EQ(synced->last_synced_at, absl::optional<absl::Time>(At(10)));
}

TYPED_TEST_P(StorageTest, RecordSyncFailureKeepsStatusAndVersion) {
  const LicenseRecord created = this->CreateOrDie(this->NewFor(this->UniqueKey()));
  absl::StatusOr<LicenseRecord> synced =
      this->repo().RecordSync(created.license_id, this->NotInSyncAt(At(10)));
  ASSERT_TRUE(synced.ok()) << synced.status();

  SyncFailure failure{"Key Administrator unavailable: deadline exceeded", At(20), "job-1"};
  absl::StatusOr<LicenseRecord> failed =
      this->repo().RecordSyncFailure(created.license_id, failure);
  ASSERT_TRUE(failed.ok()) << failed.status();
  EXPECT_EQ(failed->last_sync_error, failure.error);
  LicenseRecord expected = *synced;
  expected.last_sync_error = failure.error;
  EXPECT_EQ(*failed, expected);  // status, result, version, times: as they were
  absl::StatusOr<LicenseRecord> got = this->repo().Get(created.license_id);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, expected);

  // The next successful sync clears the error; the same result keeps the etag.
  absl::StatusOr<LicenseRecord> recovered =
      this->repo().RecordSync(created.license_id, this->NotInSyncAt(At(30)));
  ASSERT_TRUE(recovered.ok()) << recovered.status();
  EXPECT_EQ(recovered->last_sync_error, "");
  EXPECT_EQ(recovered->version, synced->version);
  EXPECT_EQ(recovered->last_synced_at, absl::optional<absl::Time>(At(30)));
}

TYPED_TEST_P(StorageTest, HistoryIsNewestFirstAndPaged) {
  const LicenseRecord created = this->CreateOrDie(this->NewFor(this->UniqueKey()));
  const int64_t id = created.license_id;
  ASSERT_TRUE(this->repo().RecordSync(id, this->InSyncAt(At(1), "job-a")).ok());
  ASSERT_TRUE(this->repo().RecordSyncFailure(id, {"timeout", At(2), "job-b"}).ok());
  ASSERT_TRUE(this->repo().RecordSync(id, this->NotInSyncAt(At(3))).ok());
  // Each a change of result, so each an entry.
  for (int i = 4; i <= 7; ++i) {
    ASSERT_TRUE(this->repo().RecordSync(id, i % 2 == 0 ? this->InSyncAt(At(i)) : this->NotInSyncAt(At(i))).ok());
  }

  absl::StatusOr<std::vector<SyncHistoryEntry>> first = this->repo().ListHistory(id, 0, 3);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->size(), 3u);
  EXPECT_EQ((*first)[0].sync_time, At(7));
  EXPECT_EQ((*first)[2].sync_time, At(5));

  const std::vector<SyncHistoryEntry> all = this->HistoryOldestFirst(id);
  ASSERT_EQ(all.size(), 7u);
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].sync_time, At(static_cast<int64_t>(i) + 1));
    EXPECT_EQ(all[i].license_id, id);
    EXPECT_EQ(all[i].key_number, created.config.key_number);
    if (i > 0) {
      EXPECT_GT(all[i].entry_id, all[i - 1].entry_id);
    }
  }
  EXPECT_EQ(all[0].result, absl::optional<SyncResult>(this->InSyncAt(At(1)).result));
  EXPECT_EQ(all[0].job_id, "job-a");
  EXPECT_FALSE(all[1].result.has_value());
  EXPECT_EQ(all[1].error, "timeout");
  EXPECT_EQ(all[1].job_id, "job-b");
  EXPECT_EQ(all[2].result, absl::optional<SyncResult>(this->NotInSyncAt(At(3)).result));
  EXPECT_EQ(all[2].ka_key_number, "PLSK.99999999.0002");
  EXPECT_EQ(all[2].error, "");

  // Past the oldest entry: an empty page, not an error.
  absl::StatusOr<std::vector<SyncHistoryEntry>> past =
      this->repo().ListHistory(id, all[0].entry_id, 3);
  ASSERT_TRUE(past.ok()) << past.status();
  EXPECT_TRUE(past->empty());
}

TYPED_TEST_P(StorageTest, RecordSyncIsRefusedWhileAnOrderIsBeingPlaced) {
  const LicenseRecord created = this->CreateOrDie(this->NewFor(this->UniqueKey()));
  // The upgrade flow will set this; no repository method does yet.
  ASSERT_TRUE(this->raw()
                  .Execute(absl::StrCat("UPDATE licenses SET order_placing = 1 WHERE license_id = ",
                                        created.license_id))
                  .ok());

  absl::StatusOr<LicenseRecord> synced =
      this->repo().RecordSync(created.license_id, this->NotInSyncAt(At(1)));
  EXPECT_EQ(synced.status().code(), absl::StatusCode::kFailedPrecondition) << synced.status();
  EXPECT_EQ(ReasonOf(synced.status()), kReasonOrderPlacing);

  absl::StatusOr<LicenseRecord> got = this->repo().Get(created.license_id);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(got->order_placing);
  EXPECT_EQ(got->version, created.version);
  EXPECT_EQ(got->sync, created.sync);
  EXPECT_TRUE(this->HistoryOldestFirst(created.license_id).empty());
}

// A result compared with an older version of the license (an upgrade order
// completed while KA was asked) is refused and writes nothing; the one
// compared with the current version is recorded.
TYPED_TEST_P(StorageTest, RecordSyncRefusesAResultComparedWithAnOlderVersion) {
  const LicenseRecord created = this->CreateOrDie(this->NewFor(this->UniqueKey()));
  ASSERT_TRUE(this->repo().RecordSync(created.license_id, this->NotInSyncAt(At(1))).ok());
  absl::StatusOr<LicenseRecord> changed = this->repo().Get(created.license_id);
  ASSERT_TRUE(changed.ok()) << changed.status();
  ASSERT_EQ(changed->version, created.version + 1);

  SyncOutcome stale = this->InSyncAt(At(2));
  stale.compared_version = created.version;
  absl::StatusOr<LicenseRecord> refused = this->repo().RecordSync(created.license_id, stale);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kAborted) << refused.status();
  EXPECT_EQ(ReasonOf(refused.status()), kReasonLicenseChangedDuringSync);
  absl::StatusOr<LicenseRecord> after = this->repo().Get(created.license_id);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(*after, *changed) << "nothing written";
  EXPECT_EQ(this->HistoryOldestFirst(created.license_id).size(), 1u);

  SyncOutcome current = this->InSyncAt(At(3));
  current.compared_version = changed->version;
  absl::StatusOr<LicenseRecord> recorded = this->repo().RecordSync(created.license_id, current);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->sync.status, SyncStatus::kInSync);
  EXPECT_EQ(this->HistoryOldestFirst(created.license_id).size(), 2u);
}

TYPED_TEST_P(StorageTest, UnknownLicensesAreNotFound) {
  const int64_t unknown = 1'000'000'000'000;
  std::vector<absl::Status> statuses = {
      this->repo().Get(unknown).status(),
      this->repo().RecordSync(unknown, this->InSyncAt(At(1))).status(),
      this->repo().RecordSyncFailure(unknown, {"timeout", At(1), ""}).status(),
      this->repo().ListHistory(unknown, 0, 10).status(),
  };
  for (const absl::Status& status : statuses) {
    EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;
    EXPECT_EQ(ReasonOf(status), kReasonLicenseNotFound) << status;
  }
  // A license with no history yet has an empty one.
  const LicenseRecord created = this->CreateOrDie(this->NewFor(this->UniqueKey()));
  absl::StatusOr<std::vector<SyncHistoryEntry>> history =
      this->repo().ListHistory(created.license_id, 0, 10);
  ASSERT_TRUE(history.ok()) << history.status();
  EXPECT_TRUE(history->empty());
}

TYPED_TEST_P(StorageTest, ConcurrentRecordSyncLosesNoUpdate) {
  const LicenseRecord created = this->CreateOrDie(this->NewFor(this->UniqueKey()));
  constexpr int kThreads = 8;
  constexpr int kSyncsPerThread = 15;
  std::latch start(kThreads);
  std::vector<absl::Status> failures;
  absl::Mutex failures_mutex;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < kSyncsPerThread; ++i) {
        // Alternating results, so that many (not all) syncs change the license.
        const absl::Time time = At(t * 1000 + i);
        const SyncOutcome outcome =
            (t + i) % 2 == 0 ? this->InSyncAt(time) : this->NotInSyncAt(time);
        absl::StatusOr<LicenseRecord> result = this->repo().RecordSync(created.license_id, outcome);
        if (!result.ok()) {
          absl::MutexLock lock(&failures_mutex);
          failures.push_back(result.status());
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(failures, ::testing::IsEmpty());

  // History rows are written in the same transaction as the license, one
  // per change of result: their order is the order in which the changes
  // took effect, each entry differs from the one before, and each is one
  // version.
  const std::vector<SyncHistoryEntry> history = this->HistoryOldestFirst(created.license_id);
  ASSERT_LE(history.size(), static_cast<size_t>(kThreads * kSyncsPerThread));
  SyncResult previous = created.sync;
  int64_t changes = 0;
  for (const SyncHistoryEntry& entry : history) {
    ASSERT_TRUE(entry.result.has_value());
    EXPECT_NE(*entry.result, previous) << "an entry for an unchanged result";
    ++changes;
    previous = *entry.result;
  }
  EXPECT_GT(changes, 1);
  absl::StatusOr<LicenseRecord> final_record = this->repo().Get(created.license_id);
  ASSERT_TRUE(final_record.ok()) << final_record.status();
  EXPECT_EQ(final_record->version, created.version + changes);
  EXPECT_EQ(final_record->sync, previous);
}

// The history records what changed, not every check: an unchanged result
// moves last_synced_at and writes no entry; another set of mismatches is a
// change, with an entry and a new version.
TYPED_TEST_P(StorageTest, OnlyAChangedResultGetsAHistoryEntry) {
  const LicenseRecord created = this->CreateOrDie(this->NewFor(this->UniqueKey()));
  const int64_t id = created.license_id;
  ASSERT_TRUE(this->repo().RecordSync(id, this->NotInSyncAt(At(1))).ok());  // the first sync: a change
  const LicenseRecord first = *this->repo().Get(id);
  absl::StatusOr<LicenseRecord> again = this->repo().RecordSync(id, this->NotInSyncAt(At(2)));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->last_synced_at, At(2));
  EXPECT_EQ(again->version, first.version);
  EXPECT_EQ(this->repo().Get(id)->last_synced_at, At(2));
  EXPECT_EQ(this->HistoryOldestFirst(id).size(), 1u);

  SyncOutcome other_mismatches = this->NotInSyncAt(At(3));
  other_mismatches.result.mismatches.pop_back();
  other_mismatches.result.message = "capacity changed from 30 to 100";
  absl::StatusOr<LicenseRecord> changed = this->repo().RecordSync(id, other_mismatches);
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(changed->version, first.version + 1);
  const std::vector<SyncHistoryEntry> history = this->HistoryOldestFirst(id);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].sync_time, At(3));
  EXPECT_EQ(history[1].result, absl::optional<SyncResult>(other_mismatches.result));
}

REGISTER_TYPED_TEST_SUITE_P(
    StorageTest, MigrationsAreAppliedOnceAndRecorded, ReopeningIsANoOp,
    ConcurrentOpensApplyEachMigrationOnce, OpenFailsUnavailableWhenTheDatabaseIsUnreachable,
    OpenRejectsAMalformedDsn, PingsAndNamesItsBackend, CreateStoresEveryFieldAndGetReadsItBack,
    CreateTruncatesTimesToMicroseconds, FindsByKeyNumberWithWithoutOrWithAnotherRevision,
    FindByKeyNumberRejectsMalformedKeyNumbers, CreateRefusesASecondLicenseForTheSameKey,
    CreateIsIdempotentByRequestId, ConcurrentCreatesWithOneRequestIdStoreOneLicense,
    CreateManySkipsExistingKeysAndCountsThem, CreateManyStoresNothingWhenOneKeyIsMalformed,
    ListFiltersBySyncStatus, ListFiltersByState, ListFiltersByLicenseClassExactly,
    ListFiltersByKeyNumberPrefixLiterally, ListFiltersByUsableUntilBefore, ListCombinesFilters,
    ListPagesOverEveryRowExactlyOnce, ListRejectsANonPositiveLimit,
    RecordSyncBumpsTheVersionOnlyWhenTheResultChanges, RecordSyncOfAnImportFindingNothingNewKeepsTheVersion,
    RecordSyncFailureKeepsStatusAndVersion,
    HistoryIsNewestFirstAndPaged, RecordSyncIsRefusedWhileAnOrderIsBeingPlaced,
    RecordSyncRefusesAResultComparedWithAnOlderVersion,
    UnknownLicensesAreNotFound, ConcurrentRecordSyncLosesNoUpdate, OnlyAChangedResultGetsAHistoryEntry);

}  // namespace lss::storage_test
