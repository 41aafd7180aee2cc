// The upgrade sessions' storage tests, one source for every backend
// (instantiated as "Sqlite" and "MariaDb" next to StorageTest): the upgrades
// table, its conditional writes, the placement steps that flag and rewrite
// the license in the same transaction, and LicenseRepository::MarkTerminated.
//
// It reuses StorageTest's fixture and gets a database of its own for the
// suite; other tests' sessions share it, so a test checks its own sessions
// (by upgrade_id or license_id), and counts across the table against the
// database itself (raw()).
#pragma once

#include <algorithm>
#include <atomic>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/upgrade_repository.h"
#include "tests/storage/storage_test_suite.h"
#include "tests/storage/upgrade_printers.h"

namespace lss::storage_test {

template <typename Backend>
class UpgradeTest : public StorageTest<Backend> {
 protected:
  UpgradeRepository& upgrades() { return this->database().upgrades(); }

  static std::string UniqueUpgradeId() {
    return absl::StrCat("upgrade-", StorageTest<Backend>::UniqueNumber());
  }

  LicenseRecord NewLicenseOrDie() {
    return this->CreateOrDie(this->NewFor(this->UniqueKey(), this->OwnClass()));
  }

  // A session as StartUpgrade stores it for `license`, expiring at At(3600).
  static UpgradeRecord StartedFor(const LicenseRecord& license) {
    UpgradeRecord upgrade;
    upgrade.upgrade_id = UniqueUpgradeId();
    upgrade.license_id = license.license_id;
    upgrade.state = UpgradeState::kStarted;
    upgrade.billing = license.config;
    upgrade.ka = license.config;
    upgrade.sync_status = license.sync.status;
    upgrade.options.capacity_unit = "domains";
    upgrade.options.capacity_steps = {30, 100, 300};
    upgrade.options.max_capacity = 300;
    upgrade.options.features = {{"POWER_PACK", "Power Pack"}};
    upgrade.license_version = license.version;
    upgrade.created_by = "operator-alice";
    upgrade.create_time = At(0);
    upgrade.update_time = At(0);
    upgrade.expire_time = At(3600);
    return upgrade;
  }

  UpgradeRecord CreateUpgradeOrDie(const UpgradeRecord& upgrade) {
    absl::StatusOr<UpgradeRecord> created = upgrades().Create(upgrade);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.value_or(UpgradeRecord{});
  }

  // `current` configured and priced: the step before the order.
  static UpgradeRecord PricedFrom(const UpgradeRecord& current) {
    UpgradeRecord next = current;
    next.state = UpgradeState::kPriced;
    next.target = UpgradeTarget{100, {"POWER_PACK"}};
    next.price =
        UpgradePrice{"EUR",
                     {{PriceLineKind::kCapacity, "100", "Capacity 30 -> 100 domains", 12000, 6000},
                      {PriceLineKind::kUpgradeFee, "fee", "Upgrade fee", 0, 1500}},
                     7500,
                     500'000,
                     At(20)};
    next.update_time = At(20);
    return next;
  }

  UpgradeRecord UpdateOrDie(const UpgradeRecord& next) {
    absl::StatusOr<UpgradeRecord> updated = upgrades().Update(next);
    EXPECT_TRUE(updated.ok()) << updated.status();
    return updated.value_or(UpgradeRecord{});
  }

  // A PRICED session of `license`.
  UpgradeRecord PricedOrDie(const LicenseRecord& license) {
    return UpdateOrDie(PricedFrom(CreateUpgradeOrDie(StartedFor(license))));
  }

  // `current` placing its order, claimed by `owner` until `until`.
  static UpgradeRecord PlacingFrom(const UpgradeRecord& current,
                                   const std::string& owner = "replica-a",
                                   absl::Time until = At(100)) {
    UpgradeRecord next = current;
    next.state = UpgradeState::kPlacing;
    UpgradeOrder order;
    order.request_id = absl::StrCat("request-", current.upgrade_id);
    order.old_key_number = current.billing.key_number;
    order.ka_called = true;
    order.place_time = At(30);
    next.order = order;
    next.placing_owner = owner;
    next.placing_until = until;
    next.update_time = At(30);
    return next;
  }

  UpgradeRecord BeginPlacingOrDie(const UpgradeRecord& current,
                                  const std::string& owner = "replica-a",
                                  absl::Time until = At(100)) {
    absl::StatusOr<UpgradeRecord> placing =
        upgrades().BeginPlacing(PlacingFrom(current, owner, until));
    EXPECT_TRUE(placing.ok()) << placing.status();
    return placing.value_or(UpgradeRecord{});
  }

  // KA's configuration after the order: the next revision of the key, more
  // capacity, the feature added.
  static LicenseConfig UpgradedConfig(const LicenseConfig& old) {
    LicenseConfig config = old;
    config.key_number = old.key_number.substr(0, old.key_number.size() - 4) + "0002";
    config.capacity = 100;
    config.features = {"LANGUAGE_PACK", "POWER_PACK", "UNLIMITED_DOMAINS"};
    config.renewal_due_time = At(86'400 * 50);
    config.expire_time = At(86'400 * 60);
    return config;
  }

  UpgradeRecord ReloadUpgrade(const std::string& upgrade_id) {
    absl::StatusOr<UpgradeRecord> upgrade = upgrades().Get(upgrade_id);
    EXPECT_TRUE(upgrade.ok()) << upgrade.status();
    return upgrade.value_or(UpgradeRecord{});
  }

  LicenseRecord Reload(int64_t license_id) {
    absl::StatusOr<LicenseRecord> record = this->repo().Get(license_id);
    EXPECT_TRUE(record.ok()) << record.status();
    return record.value_or(LicenseRecord{});
  }

  // Every session of `filter`, through pages of `page_size`.
  std::vector<UpgradeRecord> ListAllUpgrades(const UpgradeFilter& filter, int page_size) {
    std::vector<UpgradeRecord> all;
    int64_t before_seq = 0;
    for (;;) {
      absl::StatusOr<std::vector<UpgradeRecord>> page =
          upgrades().List(filter, before_seq, page_size);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok() || page->empty()) return all;
      EXPECT_LE(page->size(), static_cast<size_t>(page_size));
      before_seq = page->back().seq;
      all.insert(all.end(), page->begin(), page->end());
    }
  }

  static std::vector<std::string> IdsOf(const std::vector<UpgradeRecord>& upgrades) {
    std::vector<std::string> ids;
    for (const UpgradeRecord& upgrade : upgrades) ids.push_back(upgrade.upgrade_id);
    return ids;
  }

  static bool NewestFirst(const std::vector<UpgradeRecord>& upgrades) {
    return std::is_sorted(
        upgrades.begin(), upgrades.end(),
        [](const UpgradeRecord& a, const UpgradeRecord& b) { return a.seq > b.seq; });
  }

  int64_t CountOrDie(const std::string& sql) {
    absl::StatusOr<int64_t> count = this->raw().QueryInt(sql);
    EXPECT_TRUE(count.ok()) << count.status();
    return count.value_or(-1);
  }
};

// `status` has `code` and reason `reason`.
inline void ExpectError(const absl::Status& status, absl::StatusCode code,
                        absl::string_view reason) {
  EXPECT_EQ(status.code(), code) << status;
  EXPECT_EQ(ReasonOf(status), reason) << status;
}

// The field a single-field INVALID_ARGUMENT names.
inline std::string BadField(const absl::Status& status) {
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  const std::vector<FieldViolation> violations = FieldViolationsOf(status);
  return violations.size() == 1 ? violations[0].field : std::string("<none>");
}

TYPED_TEST_SUITE_P(UpgradeTest);

// ---------------------------------------------------------------- create, get

TYPED_TEST_P(UpgradeTest, CreateStoresEveryFieldAndGetReadsItBack) {
  const LicenseRecord license = this->NewLicenseOrDie();
  UpgradeRecord upgrade = this->StartedFor(license);
  upgrade.state = UpgradeState::kPlacing;
  upgrade.billing.features = {"", "A\tB", "line\nbreak", "back\\slash",
                              std::string("nul\0byte", 8)};
  upgrade.billing.additional_keys = {{"KAV.00005821.0001", "KASPERSKY\tANTIVIRUS"}};
  upgrade.ka.key_number = "PLSK.99999997.0003";
  upgrade.ka.license_class = "PLESK_WEB_HOST";
  upgrade.ka.capacity = 55;
  upgrade.ka.features = {"NODEJS\nSUPPORT"};
  upgrade.ka.additional_keys = {};
  upgrade.ka.renewal_due_time = At(86'400 * 40);
  upgrade.ka.expire_time = At(86'400 * 41);
  upgrade.sync_status = SyncStatus::kNotInSync;
  upgrade.options.capacity_unit = "containers";
  upgrade.options.capacity_steps = {55, 100, 9'000'000'000};
  upgrade.options.max_capacity = 9'000'000'000;
  upgrade.options.features = {{"A\tB", "Display\nname"}, {"POWER_PACK", ""}};
  upgrade.target = UpgradeTarget{100, {"", "A\tB"}};
  upgrade.price = UpgradePrice{
      "EUR",
      {{PriceLineKind::kCapacity, "100", "Capacity 55 -> 100\tcontainers", 24000, 12001},
       {PriceLineKind::kFeature, "A\tB", "line\nbreak", 2400, 1200},
       {PriceLineKind::kUpgradeFee, "fee", "", 0, 1500}},
      14701,
      500'042,
      At(21)};
  UpgradeOrder order;
  order.request_id = "request\twith\ntabs";
  order.old_key_number = license.config.key_number;
  order.new_key_number = "PLSK.99999997.0004";
  order.ka_called = true;
  order.mismatches = {{MismatchKind::kCapacityChanged, "100", "90"},
                      {MismatchKind::kFeaturesAdded, "", "X\tY"}};
  order.place_time = At(30);
  order.complete_time = At(31);
  order.error = "KA said\n287";
  upgrade.order = order;
  upgrade.license_version = 7;
  upgrade.created_by = "operator\talice";
  upgrade.create_time = At(1) + absl::Microseconds(1);
  upgrade.update_time = At(2);
  upgrade.expire_time = At(3601);
  upgrade.placing_owner = "replica-a";
  upgrade.placing_until = At(90);
  upgrade.row_version = 99;  // assigned by the repository

  const UpgradeRecord created = this->CreateUpgradeOrDie(upgrade);
  EXPECT_GT(created.seq, 0);
  EXPECT_EQ(created.row_version, 1);
  UpgradeRecord expected = upgrade;
  expected.seq = created.seq;
  expected.row_version = 1;
  EXPECT_EQ(created, expected);
  EXPECT_EQ(this->ReloadUpgrade(upgrade.upgrade_id), created);

  // Unset parts stay unset; a later session has a higher seq.
  const UpgradeRecord started = this->CreateUpgradeOrDie(this->StartedFor(license));
  EXPECT_FALSE(started.target.has_value());
  EXPECT_FALSE(started.price.has_value());
  EXPECT_FALSE(started.order.has_value());
  EXPECT_GT(started.seq, created.seq);
  EXPECT_EQ(this->ReloadUpgrade(started.upgrade_id), started);

  // An order not yet completed.
  UpgradeRecord incomplete = this->StartedFor(license);
  order.complete_time.reset();
  order.new_key_number = "";
  incomplete.order = order;
  const UpgradeRecord stored = this->CreateUpgradeOrDie(incomplete);
  ASSERT_TRUE(stored.order.has_value());
  EXPECT_EQ(*stored.order, order);
}

TYPED_TEST_P(UpgradeTest, UnknownSessionsAndLicensesAreNotFoundAndIdsAreUnique) {
  const LicenseRecord license = this->NewLicenseOrDie();
  ExpectError(this->upgrades().Get("no-such-upgrade").status(), absl::StatusCode::kNotFound,
              kReasonUpgradeNotFound);

  const UpgradeRecord created = this->CreateUpgradeOrDie(this->StartedFor(license));
  UpgradeRecord again = this->StartedFor(license);
  again.upgrade_id = created.upgrade_id;
  ExpectError(this->upgrades().Create(again).status(), absl::StatusCode::kAlreadyExists,
              kReasonUpgradeAlreadyExists);
  EXPECT_EQ(this->ReloadUpgrade(created.upgrade_id), created);

  UpgradeRecord orphan = this->StartedFor(license);
  orphan.license_id = 999'999'999;
  ExpectError(this->upgrades().Create(orphan).status(), absl::StatusCode::kNotFound,
              kReasonLicenseNotFound);
  ExpectError(this->upgrades().Get(orphan.upgrade_id).status(), absl::StatusCode::kNotFound,
              kReasonUpgradeNotFound);

  UpgradeRecord unknown = this->PricedFrom(created);
  unknown.upgrade_id = "no-such-upgrade";
  ExpectError(this->upgrades().Update(unknown).status(), absl::StatusCode::kNotFound,
              kReasonUpgradeNotFound);
  ExpectError(this->upgrades().BeginPlacing(this->PlacingFrom(unknown)).status(),
              absl::StatusCode::kNotFound, kReasonUpgradeNotFound);
  ExpectError(this->upgrades()
                  .ClaimPlacing("no-such-upgrade", "replica-b", At(500), absl::Minutes(1))
                  .status(),
              absl::StatusCode::kNotFound, kReasonUpgradeNotFound);
  EXPECT_FALSE(this->Reload(license.license_id).order_placing);
}

TYPED_TEST_P(UpgradeTest, ValuesTheSchemaCannotHoldAreRefusedNamingTheField) {
  const LicenseRecord license = this->NewLicenseOrDie();
  const UpgradeRecord valid = this->StartedFor(license);
  auto refused_field = [&](auto change) {
    UpgradeRecord upgrade = valid;
    change(upgrade);
    absl::Status status = this->upgrades().Create(upgrade).status();
    if (!upgrade.upgrade_id.empty() && upgrade.upgrade_id.size() <= 64) {
      EXPECT_TRUE(absl::IsNotFound(this->upgrades().Get(upgrade.upgrade_id).status()));
    }
    return BadField(status);
  };
  EXPECT_EQ(refused_field([](UpgradeRecord& u) { u.upgrade_id = ""; }), "upgrade_id");
  EXPECT_EQ(refused_field([](UpgradeRecord& u) { u.upgrade_id = std::string(65, 'u'); }),
            "upgrade_id");
  EXPECT_EQ(refused_field([](UpgradeRecord& u) { u.billing.key_number = std::string(65, 'k'); }),
            "billing.key_number");
  EXPECT_EQ(refused_field([](UpgradeRecord& u) { u.ka.license_class = std::string(129, 'c'); }),
            "ka.license_class");
  EXPECT_EQ(refused_field([](UpgradeRecord& u) { u.options.capacity_unit = std::string(33, 'd'); }),
            "options.capacity_unit");
  EXPECT_EQ(refused_field([](UpgradeRecord& u) {
              u.price = UpgradePrice{};
              u.price->currency = std::string(17, 'E');
            }),
            "price.currency");
  EXPECT_EQ(refused_field([](UpgradeRecord& u) {
              u.order = UpgradeOrder{};
              u.order->request_id = std::string(256, 'r');
            }),
            "order.request_id");
  EXPECT_EQ(refused_field([](UpgradeRecord& u) {
              u.order = UpgradeOrder{};
              u.order->new_key_number = std::string(65, 'k');
            }),
            "order.new_key_number");
  EXPECT_EQ(refused_field([](UpgradeRecord& u) { u.created_by = std::string(256, 'a'); }),
            "created_by");
  EXPECT_EQ(refused_field([](UpgradeRecord& u) { u.placing_owner = std::string(256, 'o'); }),
            "placing_owner");

  // A valid 64-character id is stored.
  UpgradeRecord widest = valid;
  widest.upgrade_id = std::string(60, 'w') + std::to_string(1000 + this->UniqueNumber() % 9000);
  EXPECT_EQ(this->CreateUpgradeOrDie(widest).upgrade_id, widest.upgrade_id);

  EXPECT_EQ(BadField(this->upgrades().Get(std::string(65, 'u')).status()), "upgrade_id");
  EXPECT_EQ(BadField(this->upgrades().List({}, 0, 0).status()), "limit");
  EXPECT_EQ(BadField(this->upgrades().ListAbandonedPlacements(At(0), 0).status()), "limit");
  EXPECT_EQ(BadField(this->upgrades()
                         .ClaimPlacing(valid.upgrade_id, "o", At(0), absl::ZeroDuration())
                         .status()),
            "lease");
  EXPECT_EQ(
      BadField(this->upgrades()
                   .ClaimPlacing(valid.upgrade_id, std::string(256, 'o'), At(0), absl::Minutes(1))
                   .status()),
      "owner");
}

// ---------------------------------------------------------------- list

TYPED_TEST_P(UpgradeTest, ListIsNewestFirstPagedAndFiltered) {
  const LicenseRecord first = this->NewLicenseOrDie();
  const LicenseRecord second = this->NewLicenseOrDie();
  std::vector<UpgradeRecord> of_first, of_second;
  for (int i = 0; i < 5; ++i) of_first.push_back(this->CreateUpgradeOrDie(this->StartedFor(first)));
  for (int i = 0; i < 3; ++i)
    of_second.push_back(this->CreateUpgradeOrDie(this->StartedFor(second)));
  // Cancel sessions 1 and 3 of the first license, and 0 of the second.
  std::vector<std::string> cancelled_of_first;
  for (UpgradeRecord* upgrade : {&of_first[1], &of_first[3], &of_second[0]}) {
    UpgradeRecord next = *upgrade;
    next.state = UpgradeState::kCancelled;
    *upgrade = this->UpdateOrDie(next);
  }
  cancelled_of_first = {of_first[3].upgrade_id, of_first[1].upgrade_id};
  auto newest_first_ids = [this](std::vector<UpgradeRecord> upgrades) {
    std::reverse(upgrades.begin(), upgrades.end());
    return this->IdsOf(upgrades);
  };

  UpgradeFilter by_license;
  by_license.license_id = first.license_id;
  const std::vector<UpgradeRecord> listed = this->ListAllUpgrades(by_license, 2);
  EXPECT_EQ(this->IdsOf(listed), newest_first_ids(of_first));
  EXPECT_EQ(listed[1], of_first[3]);  // whole records, as stored

  UpgradeFilter cancelled_of_the_first = by_license;
  cancelled_of_the_first.state = UpgradeState::kCancelled;
  EXPECT_EQ(this->IdsOf(this->ListAllUpgrades(cancelled_of_the_first, 1)), cancelled_of_first);

  UpgradeFilter cancelled;
  cancelled.state = UpgradeState::kCancelled;
  const std::vector<UpgradeRecord> all_cancelled = this->ListAllUpgrades(cancelled, 2);
  EXPECT_TRUE(this->NewestFirst(all_cancelled));
  for (const UpgradeRecord& upgrade : all_cancelled)
    EXPECT_EQ(upgrade.state, UpgradeState::kCancelled);
  EXPECT_THAT(this->IdsOf(all_cancelled),
              ::testing::IsSupersetOf(
                  {of_first[1].upgrade_id, of_first[3].upgrade_id, of_second[0].upgrade_id}));
  EXPECT_THAT(this->IdsOf(all_cancelled),
              ::testing::Not(::testing::Contains(of_first[0].upgrade_id)));

  const std::vector<UpgradeRecord> everything = this->ListAllUpgrades({}, 3);
  EXPECT_TRUE(this->NewestFirst(everything));
  std::vector<std::string> ours = newest_first_ids(of_first);
  const std::vector<std::string> all_ids = this->IdsOf(everything);
  for (const UpgradeRecord& upgrade : of_second) ours.push_back(upgrade.upgrade_id);
  EXPECT_THAT(all_ids, ::testing::IsSupersetOf(ours));
  EXPECT_EQ(std::set<std::string>(all_ids.begin(), all_ids.end()).size(), all_ids.size());

  // A page starts strictly before its cursor.
  absl::StatusOr<std::vector<UpgradeRecord>> page =
      this->upgrades().List(by_license, of_first[2].seq, 10);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(this->IdsOf(*page),
            std::vector<std::string>({of_first[1].upgrade_id, of_first[0].upgrade_id}));
}

// ---------------------------------------------------------------- update

TYPED_TEST_P(UpgradeTest, UpdateWritesTheStepOnlyWhileTheRowVersionHolds) {
  const LicenseRecord license = this->NewLicenseOrDie();
  const UpgradeRecord started = this->CreateUpgradeOrDie(this->StartedFor(license));

  UpgradeRecord next = this->PricedFrom(started);
  next.expire_time = At(7200);
  // Not a step's to change: the session's origin and the placing claim.
  next.created_by = "someone-else";
  next.billing.capacity = 12345;
  next.license_version = 42;
  next.placing_owner = "replica-z";
  const UpgradeRecord priced = this->UpdateOrDie(next);
  UpgradeRecord expected = started;
  expected.state = UpgradeState::kPriced;
  expected.target = next.target;
  expected.price = next.price;
  expected.update_time = At(20);
  expected.expire_time = At(7200);
  expected.row_version = 2;
  EXPECT_EQ(priced, expected);
  EXPECT_EQ(this->ReloadUpgrade(started.upgrade_id), priced);

  // A second step from the same read loses, and writes nothing.
  UpgradeRecord stale = started;
  stale.state = UpgradeState::kCancelled;
  ExpectError(this->upgrades().Update(stale).status(), absl::StatusCode::kAborted,
              kReasonUpgradeChanged);
  EXPECT_EQ(this->ReloadUpgrade(started.upgrade_id), priced);

  // Unsetting is a write too.
  UpgradeRecord reconfigure = priced;
  reconfigure.state = UpgradeState::kConfigured;
  reconfigure.price.reset();
  const UpgradeRecord configured = this->UpdateOrDie(reconfigure);
  EXPECT_FALSE(configured.price.has_value());
  EXPECT_EQ(configured.row_version, 3);
}

// ---------------------------------------------------------------- placing

TYPED_TEST_P(UpgradeTest, BeginPlacingFlagsTheLicenseAndSyncsAreRefused) {
  const LicenseRecord license = this->NewLicenseOrDie();
  const UpgradeRecord priced = this->PricedOrDie(license);

  const UpgradeRecord next = this->PlacingFrom(priced, "replica-a", At(100));
  absl::StatusOr<UpgradeRecord> placing = this->upgrades().BeginPlacing(next);
  ASSERT_TRUE(placing.ok()) << placing.status();
  UpgradeRecord expected = next;
  expected.row_version = priced.row_version + 1;
  EXPECT_EQ(*placing, expected);
  EXPECT_EQ(this->ReloadUpgrade(priced.upgrade_id), *placing);

  const LicenseRecord flagged = this->Reload(license.license_id);
  EXPECT_TRUE(flagged.order_placing);
  EXPECT_EQ(flagged.version, license.version);  // the etag stays
  EXPECT_EQ(flagged.config, license.config);

  ExpectError(this->repo().RecordSync(license.license_id, this->InSyncAt(At(40))).status(),
              absl::StatusCode::kFailedPrecondition, kReasonOrderPlacing);
  // A retry of the same placement from the old read changes nothing.
  ExpectError(this->upgrades().BeginPlacing(next).status(), absl::StatusCode::kAborted,
              kReasonUpgradeChanged);
  EXPECT_EQ(this->ReloadUpgrade(priced.upgrade_id), *placing);
}

TYPED_TEST_P(UpgradeTest, BeginPlacingRefusesALicenseThatMovedOnAndWritesNothing) {
  // The license's version moved since the session started.
  const LicenseRecord moved = this->NewLicenseOrDie();
  const UpgradeRecord of_moved = this->PricedOrDie(moved);
  ASSERT_TRUE(this->repo().RecordSync(moved.license_id, this->NotInSyncAt(At(25))).ok());
  ExpectError(this->upgrades().BeginPlacing(this->PlacingFrom(of_moved)).status(),
              absl::StatusCode::kAborted, kReasonUpgradeLicenseChanged);
  EXPECT_EQ(this->ReloadUpgrade(of_moved.upgrade_id), of_moved);
  EXPECT_FALSE(this->Reload(moved.license_id).order_placing);

  // Another session's order is being placed for it.
  const LicenseRecord busy = this->NewLicenseOrDie();
  const UpgradeRecord first = this->PricedOrDie(busy);
  const UpgradeRecord second = this->PricedOrDie(busy);
  this->BeginPlacingOrDie(first);
  ExpectError(this->upgrades().BeginPlacing(this->PlacingFrom(second)).status(),
              absl::StatusCode::kFailedPrecondition, kReasonOrderPlacing);
  EXPECT_EQ(this->ReloadUpgrade(second.upgrade_id), second);

  // Terminated: not ACTIVE comes first, though its version moved too.
  const LicenseRecord terminated = this->NewLicenseOrDie();
  const UpgradeRecord of_terminated = this->PricedOrDie(terminated);
  ASSERT_TRUE(this->repo().MarkTerminated(terminated.license_id, At(25)).ok());
  ExpectError(this->upgrades().BeginPlacing(this->PlacingFrom(of_terminated)).status(),
              absl::StatusCode::kFailedPrecondition, kReasonLicenseNotActive);
  EXPECT_EQ(this->ReloadUpgrade(of_terminated.upgrade_id), of_terminated);
  EXPECT_FALSE(this->Reload(terminated.license_id).order_placing);

  // Expired, at the session's version.
  const LicenseRecord expired = this->NewLicenseOrDie();
  const UpgradeRecord of_expired = this->PricedOrDie(expired);
  ASSERT_TRUE(this->raw()
                  .Execute(absl::StrCat("UPDATE licenses SET state = 2 WHERE license_id = ",
                                        expired.license_id))
                  .ok());
  ExpectError(this->upgrades().BeginPlacing(this->PlacingFrom(of_expired)).status(),
              absl::StatusCode::kFailedPrecondition, kReasonLicenseNotActive);
  EXPECT_EQ(this->ReloadUpgrade(of_expired.upgrade_id), of_expired);
  EXPECT_FALSE(this->Reload(expired.license_id).order_placing);
}

TYPED_TEST_P(UpgradeTest, ConcurrentPlacementsOfOneSessionLetOneThrough) {
  const LicenseRecord license = this->NewLicenseOrDie();
  const UpgradeRecord priced = this->PricedOrDie(license);
  constexpr int kClients = 8;
  std::vector<absl::Status> results(kClients);
  std::latch start(kClients);
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      const UpgradeRecord next = this->PlacingFrom(priced, absl::StrCat("replica-", i));
      start.arrive_and_wait();
      results[i] = this->upgrades().BeginPlacing(next).status();
    });
  }
  for (std::thread& client : clients) client.join();
  int winner = -1;
  for (int i = 0; i < kClients; ++i) {
    if (results[i].ok()) {
      EXPECT_EQ(winner, -1) << "replicas " << winner << " and " << i << " both placed the order";
      winner = i;
    } else {
      ExpectError(results[i], absl::StatusCode::kAborted, kReasonUpgradeChanged);
    }
  }
  ASSERT_NE(winner, -1);
  const UpgradeRecord stored = this->ReloadUpgrade(priced.upgrade_id);
  EXPECT_EQ(stored.placing_owner, absl::StrCat("replica-", winner));
  EXPECT_EQ(stored.row_version, priced.row_version + 1);
  EXPECT_TRUE(this->Reload(license.license_id).order_placing);
}

TYPED_TEST_P(UpgradeTest, ConcurrentPlacementsOfOneLicenseLetOneThrough) {
  const LicenseRecord license = this->NewLicenseOrDie();
  constexpr int kSessions = 8;
  std::vector<UpgradeRecord> sessions;
  for (int i = 0; i < kSessions; ++i) sessions.push_back(this->PricedOrDie(license));
  std::vector<absl::Status> results(kSessions);
  std::latch start(kSessions);
  std::vector<std::thread> clients;
  for (int i = 0; i < kSessions; ++i) {
    clients.emplace_back([&, i] {
      const UpgradeRecord next = this->PlacingFrom(sessions[i]);
      start.arrive_and_wait();
      results[i] = this->upgrades().BeginPlacing(next).status();
    });
  }
  for (std::thread& client : clients) client.join();
  int placed = 0;
  for (int i = 0; i < kSessions; ++i) {
    if (results[i].ok()) {
      ++placed;
      EXPECT_EQ(this->ReloadUpgrade(sessions[i].upgrade_id).state, UpgradeState::kPlacing);
    } else {
      ExpectError(results[i], absl::StatusCode::kFailedPrecondition, kReasonOrderPlacing);
      EXPECT_EQ(this->ReloadUpgrade(sessions[i].upgrade_id), sessions[i]);
    }
  }
  EXPECT_EQ(placed, 1);
}

TYPED_TEST_P(UpgradeTest, ClaimPlacingTakesAnExpiredClaimOverOnlyOnce) {
  const LicenseRecord license = this->NewLicenseOrDie();
  const UpgradeRecord priced = this->PricedOrDie(license);
  const UpgradeRecord placing = this->BeginPlacingOrDie(priced, "replica-a", At(100));

  for (absl::Time early : {At(99), At(100)}) {
    absl::StatusOr<absl::optional<UpgradeRecord>> claim =
        this->upgrades().ClaimPlacing(placing.upgrade_id, "replica-b", early, absl::Minutes(1));
    ASSERT_TRUE(claim.ok()) << claim.status();
    EXPECT_FALSE(claim->has_value()) << "the claim still held at " << early;
  }

  // Replicas racing for the expired claim: one takes it.
  constexpr int kReplicas = 8;
  std::vector<absl::StatusOr<absl::optional<UpgradeRecord>>> claims(kReplicas,
                                                                    absl::UnknownError(""));
  std::latch start(kReplicas);
  std::vector<std::thread> replicas;
  for (int i = 0; i < kReplicas; ++i) {
    replicas.emplace_back([&, i] {
      start.arrive_and_wait();
      claims[i] = this->upgrades().ClaimPlacing(placing.upgrade_id, absl::StrCat("replica-", i),
                                                At(101), absl::Minutes(1));
    });
  }
  for (std::thread& replica : replicas) replica.join();
  absl::optional<UpgradeRecord> taken;
  for (const auto& claim : claims) {
    ASSERT_TRUE(claim.ok()) << claim.status();
    if (!claim->has_value()) continue;
    EXPECT_FALSE(taken.has_value()) << "two replicas took the placement over";
    taken = **claim;
  }
  ASSERT_TRUE(taken.has_value());
  UpgradeRecord expected = placing;
  expected.placing_owner = taken->placing_owner;
  expected.placing_until = At(161);
  expected.row_version = placing.row_version + 1;
  EXPECT_EQ(*taken, expected);
  EXPECT_EQ(this->ReloadUpgrade(placing.upgrade_id), *taken);

  // The new claim holds; the first owner's completion comes too late.
  absl::StatusOr<absl::optional<UpgradeRecord>> again =
      this->upgrades().ClaimPlacing(placing.upgrade_id, "replica-z", At(130), absl::Minutes(1));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->has_value());
  UpgradeRecord late = placing;
  late.state = UpgradeState::kCompleted;
  ExpectError(this->upgrades()
                  .CompleteOrder(late, this->UpgradedConfig(license.config), {}, At(131))
                  .status(),
              absl::StatusCode::kAborted, kReasonUpgradeChanged);
  EXPECT_EQ(this->Reload(license.license_id).config, license.config);

  // A session that is not PLACING is never claimed.
  absl::StatusOr<absl::optional<UpgradeRecord>> not_placing = this->upgrades().ClaimPlacing(
      this->PricedOrDie(license).upgrade_id, "replica-b", At(86'400), absl::Minutes(1));
  ASSERT_TRUE(not_placing.ok()) << not_placing.status();
  EXPECT_FALSE(not_placing->has_value());
}

TYPED_TEST_P(UpgradeTest, ListAbandonedPlacementsListsExpiredClaimsOldestFirst) {
  const absl::Time now = At(10'000);
  const UpgradeRecord older = this->BeginPlacingOrDie(this->PricedOrDie(this->NewLicenseOrDie()),
                                                      "replica-a", now - absl::Seconds(1));
  const UpgradeRecord newer = this->BeginPlacingOrDie(this->PricedOrDie(this->NewLicenseOrDie()),
                                                      "replica-a", now - absl::Hours(1));
  const UpgradeRecord held =
      this->BeginPlacingOrDie(this->PricedOrDie(this->NewLicenseOrDie()), "replica-a", now);
  const UpgradeRecord priced = this->PricedOrDie(this->NewLicenseOrDie());

  absl::StatusOr<std::vector<UpgradeRecord>> abandoned =
      this->upgrades().ListAbandonedPlacements(now, 1000);
  ASSERT_TRUE(abandoned.ok()) << abandoned.status();
  EXPECT_TRUE(
      std::is_sorted(abandoned->begin(), abandoned->end(),
                     [](const UpgradeRecord& a, const UpgradeRecord& b) { return a.seq < b.seq; }));
  for (const UpgradeRecord& upgrade : *abandoned) {
    EXPECT_EQ(upgrade.state, UpgradeState::kPlacing);
    EXPECT_LT(upgrade.placing_until, now);
  }
  const std::vector<std::string> ids = this->IdsOf(*abandoned);
  auto older_at = std::find(ids.begin(), ids.end(), older.upgrade_id);
  auto newer_at = std::find(ids.begin(), ids.end(), newer.upgrade_id);
  EXPECT_NE(older_at, ids.end());
  EXPECT_NE(newer_at, ids.end());
  EXPECT_LT(older_at, newer_at);
  EXPECT_THAT(ids, ::testing::Not(::testing::Contains(held.upgrade_id)));
  EXPECT_THAT(ids, ::testing::Not(::testing::Contains(priced.upgrade_id)));
  EXPECT_EQ(static_cast<int64_t>(abandoned->size()),
            this->CountOrDie(
                absl::StrCat("SELECT COUNT(*) FROM upgrades WHERE state = 4 AND placing_until < ",
                             absl::ToUnixMicros(now))));

  absl::StatusOr<std::vector<UpgradeRecord>> first =
      this->upgrades().ListAbandonedPlacements(now, 1);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ(first->front(), abandoned->front());
}

TYPED_TEST_P(UpgradeTest, CompleteOrderRewritesTheLicenseAndUnflagsIt) {
  const LicenseRecord license = this->NewLicenseOrDie();
  ASSERT_TRUE(this->repo()
                  .RecordSyncFailure(license.license_id, SyncFailure{"KA unreachable", At(5), ""})
                  .ok());
  const UpgradeRecord placing = this->BeginPlacingOrDie(this->PricedOrDie(license));

  const LicenseConfig config = this->UpgradedConfig(license.config);
  SyncResult sync;
  sync.status = SyncStatus::kInSync;
  UpgradeRecord next = placing;
  next.state = UpgradeState::kCompleted;
  next.order->new_key_number = config.key_number;
  next.order->complete_time = At(50);
  next.update_time = At(50);
  absl::StatusOr<CompletedUpgrade> completed =
      this->upgrades().CompleteOrder(next, config, sync, At(50));
  ASSERT_TRUE(completed.ok()) << completed.status();

  UpgradeRecord expected_upgrade = next;
  expected_upgrade.row_version = placing.row_version + 1;
  EXPECT_EQ(completed->upgrade, expected_upgrade);
  EXPECT_EQ(this->ReloadUpgrade(placing.upgrade_id), expected_upgrade);

  LicenseRecord expected_license = license;
  expected_license.config = config;
  expected_license.sync = sync;
  expected_license.last_synced_at = At(50);
  expected_license.last_sync_error = "";
  expected_license.version = license.version + 1;
  expected_license.update_time = At(50);
  expected_license.order_placing = false;
  EXPECT_EQ(completed->license, expected_license);
  EXPECT_EQ(this->Reload(license.license_id), expected_license);
  // Found by its new key (key_base follows the key number), and synced again.
  absl::StatusOr<LicenseRecord> found = this->repo().FindByKeyNumber(config.key_number);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->license_id, license.license_id);
  EXPECT_TRUE(this->repo().RecordSync(license.license_id, this->InSyncAt(At(60))).ok());

  // Completing twice from the same read changes nothing.
  ExpectError(
      this->upgrades().CompleteOrder(next, this->UpgradedConfig(config), sync, At(70)).status(),
      absl::StatusCode::kAborted, kReasonUpgradeChanged);
  EXPECT_EQ(this->Reload(license.license_id).config, config);

  // A key number the license column cannot hold is refused before anything runs.
  LicenseConfig malformed = config;
  malformed.key_number = "not a key";
  EXPECT_EQ(BadField(this->upgrades().CompleteOrder(next, malformed, sync, At(70)).status()),
            "config.key_number");
}

TYPED_TEST_P(UpgradeTest, AbandonPlacingUnflagsTheLicenseAndKeepsItsConfiguration) {
  const LicenseRecord license = this->NewLicenseOrDie();
  const UpgradeRecord placing = this->BeginPlacingOrDie(this->PricedOrDie(license));

  UpgradeRecord retry = placing;
  retry.state = UpgradeState::kPriced;
  retry.order->error = "KA said 287: remote product operation failed";
  retry.placing_owner = "";
  retry.placing_until = absl::UnixEpoch();
  retry.update_time = At(40);
  absl::StatusOr<UpgradeRecord> abandoned = this->upgrades().AbandonPlacing(retry);
  ASSERT_TRUE(abandoned.ok()) << abandoned.status();
  UpgradeRecord expected = retry;
  expected.row_version = placing.row_version + 1;
  EXPECT_EQ(*abandoned, expected);
  EXPECT_EQ(this->Reload(license.license_id), license);  // unflagged, config and version as before

  // A stale abandon writes nothing; the retry places again.
  ExpectError(this->upgrades().AbandonPlacing(retry).status(), absl::StatusCode::kAborted,
              kReasonUpgradeChanged);
  const UpgradeRecord placed_again = this->BeginPlacingOrDie(*abandoned, "replica-b", At(200));
  EXPECT_EQ(placed_again.placing_owner, "replica-b");
  EXPECT_TRUE(this->Reload(license.license_id).order_placing);

  UpgradeRecord failed = placed_again;
  failed.state = UpgradeState::kFailed;
  failed.order->error = "KA refused the upgrade (266)";
  absl::StatusOr<UpgradeRecord> gave_up = this->upgrades().AbandonPlacing(failed);
  ASSERT_TRUE(gave_up.ok()) << gave_up.status();
  EXPECT_EQ(gave_up->state, UpgradeState::kFailed);
  EXPECT_EQ(this->Reload(license.license_id), license);
}

// ---------------------------------------------------------------- expiry

TYPED_TEST_P(UpgradeTest, ExpireDueExpiresExactlyTheUnfinishedSessionsDue) {
  const absl::Time now = At(86'400 * 30);
  const LicenseRecord license = this->NewLicenseOrDie();
  auto session_in = [&](UpgradeState state, absl::Time expire) {
    UpgradeRecord upgrade = this->StartedFor(license);
    upgrade.state = state;
    upgrade.expire_time = expire;
    return this->CreateUpgradeOrDie(upgrade);
  };
  const std::vector<UpgradeRecord> due = {
      session_in(UpgradeState::kStarted, now - absl::Hours(1)),
      session_in(UpgradeState::kConfigured, now),
      session_in(UpgradeState::kPriced, now - absl::Hours(24)),
  };
  const std::vector<UpgradeRecord> kept = {
      session_in(UpgradeState::kStarted, now + absl::Seconds(1)),
      session_in(UpgradeState::kPlacing, now - absl::Hours(1)),
      session_in(UpgradeState::kCompleted, now - absl::Hours(1)),
      session_in(UpgradeState::kCancelled, now - absl::Hours(1)),
  };
  const std::string due_sql =
      absl::StrCat("SELECT COUNT(*) FROM upgrades WHERE state IN (1, 2, 3) AND expire_at <= ",
                   absl::ToUnixMicros(now));
  const int64_t due_count = this->CountOrDie(due_sql);
  ASSERT_GE(due_count, 3);

  absl::StatusOr<int64_t> expired = this->upgrades().ExpireDue(now);
  ASSERT_TRUE(expired.ok()) << expired.status();
  EXPECT_EQ(*expired, due_count);
  EXPECT_EQ(this->CountOrDie(due_sql), 0);
  for (const UpgradeRecord& upgrade : due) {
    UpgradeRecord expected = upgrade;
    expected.state = UpgradeState::kExpired;
    expected.update_time = now;
    expected.row_version = upgrade.row_version + 1;
    EXPECT_EQ(this->ReloadUpgrade(upgrade.upgrade_id), expected);
  }
  for (const UpgradeRecord& upgrade : kept)
    EXPECT_EQ(this->ReloadUpgrade(upgrade.upgrade_id), upgrade);

  absl::StatusOr<int64_t> again = this->upgrades().ExpireDue(now);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, 0);
}

// ---------------------------------------------------------------- termination

TYPED_TEST_P(UpgradeTest, MarkTerminatedBumpsOnceAndWaitsForAPlacingOrder) {
  const LicenseRecord license = this->NewLicenseOrDie();
  absl::StatusOr<LicenseRecord> terminated =
      this->repo().MarkTerminated(license.license_id, At(10));
  ASSERT_TRUE(terminated.ok()) << terminated.status();
  LicenseRecord expected = license;
  expected.state = LicenseState::kTerminated;
  expected.version = license.version + 1;
  expected.update_time = At(10);
  EXPECT_EQ(*terminated, expected);
  EXPECT_EQ(this->Reload(license.license_id), expected);

  // Again: answered as it is, no second bump.
  absl::StatusOr<LicenseRecord> again = this->repo().MarkTerminated(license.license_id, At(20));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, expected);

  ExpectError(this->repo().MarkTerminated(999'999'999, At(10)).status(),
              absl::StatusCode::kNotFound, kReasonLicenseNotFound);

  const LicenseRecord placing = this->NewLicenseOrDie();
  this->BeginPlacingOrDie(this->PricedOrDie(placing));
  ExpectError(this->repo().MarkTerminated(placing.license_id, At(10)).status(),
              absl::StatusCode::kFailedPrecondition, kReasonOrderPlacing);
  const LicenseRecord still = this->Reload(placing.license_id);
  EXPECT_EQ(still.state, LicenseState::kActive);
  EXPECT_EQ(still.version, placing.version);

  // An EXPIRED license may be terminated too.
  const LicenseRecord expired = this->NewLicenseOrDie();
  ASSERT_TRUE(this->raw()
                  .Execute(absl::StrCat("UPDATE licenses SET state = 2 WHERE license_id = ",
                                        expired.license_id))
                  .ok());
  absl::StatusOr<LicenseRecord> from_expired =
      this->repo().MarkTerminated(expired.license_id, At(10));
  ASSERT_TRUE(from_expired.ok()) << from_expired.status();
  EXPECT_EQ(from_expired->state, LicenseState::kTerminated);
  EXPECT_EQ(from_expired->version, expired.version + 1);
}

// A termination marks the license before KA is called: the session opened
// before can no longer place its order (the version moved), an order being
// placed refuses the mark, and the mark is cleared or ends in TERMINATED.
TYPED_TEST_P(UpgradeTest, BeginTerminationMarksTheLicenseAgainstUpgrades) {
  const LicenseRecord license = this->NewLicenseOrDie();
  const UpgradeRecord priced = this->PricedOrDie(license);
  absl::StatusOr<LicenseRecord> marked = this->repo().BeginTermination(license.license_id, At(60), At(30));
  ASSERT_TRUE(marked.ok()) << marked.status();
  EXPECT_EQ(marked->terminating_until, At(60));
  EXPECT_EQ(marked->version, license.version + 1);
  EXPECT_EQ(marked->state, LicenseState::kActive);
  EXPECT_EQ(this->Reload(license.license_id), *marked);
  ExpectError(this->upgrades().BeginPlacing(this->PlacingFrom(priced)).status(), absl::StatusCode::kAborted,
              kReasonUpgradeLicenseChanged);
  EXPECT_FALSE(this->Reload(license.license_id).order_placing);

  // KA kept the key: the mark goes, the license is open again.
  ASSERT_TRUE(this->repo().EndTermination(license.license_id).ok());
  EXPECT_FALSE(this->Reload(license.license_id).terminating_until.has_value());
  // KA terminated it: TERMINATED, the mark gone with it.
  ASSERT_TRUE(this->repo().BeginTermination(license.license_id, At(90), At(70)).ok());
  absl::StatusOr<LicenseRecord> terminated = this->repo().MarkTerminated(license.license_id, At(80));
  ASSERT_TRUE(terminated.ok()) << terminated.status();
  EXPECT_FALSE(terminated->terminating_until.has_value());
  // Marking a TERMINATED license answers it as it is.
  absl::StatusOr<LicenseRecord> again = this->repo().BeginTermination(license.license_id, At(200), At(100));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, *terminated);

  // An order being placed refuses the mark, which is not written.
  const LicenseRecord placing = this->NewLicenseOrDie();
  this->BeginPlacingOrDie(this->PricedOrDie(placing));
  const LicenseRecord placing_now = this->Reload(placing.license_id);
  ExpectError(this->repo().BeginTermination(placing.license_id, At(60), At(30)).status(),
              absl::StatusCode::kFailedPrecondition, kReasonOrderPlacing);
  EXPECT_EQ(this->Reload(placing.license_id), placing_now);
  ExpectError(this->repo().BeginTermination(999'999'999, At(60), At(30)).status(), absl::StatusCode::kNotFound,
              kReasonLicenseNotFound);
}

REGISTER_TYPED_TEST_SUITE_P(UpgradeTest, CreateStoresEveryFieldAndGetReadsItBack,
                            UnknownSessionsAndLicensesAreNotFoundAndIdsAreUnique,
                            ValuesTheSchemaCannotHoldAreRefusedNamingTheField,
                            ListIsNewestFirstPagedAndFiltered,
                            UpdateWritesTheStepOnlyWhileTheRowVersionHolds,
                            BeginPlacingFlagsTheLicenseAndSyncsAreRefused,
                            BeginPlacingRefusesALicenseThatMovedOnAndWritesNothing,
                            ConcurrentPlacementsOfOneSessionLetOneThrough,
                            ConcurrentPlacementsOfOneLicenseLetOneThrough,
                            ClaimPlacingTakesAnExpiredClaimOverOnlyOnce,
                            ListAbandonedPlacementsListsExpiredClaimsOldestFirst,
                            CompleteOrderRewritesTheLicenseAndUnflagsIt,
                            AbandonPlacingUnflagsTheLicenseAndKeepsItsConfiguration,
                            ExpireDueExpiresExactlyTheUnfinishedSessionsDue,
                            MarkTerminatedBumpsOnceAndWaitsForAPlacingOrder,
                            BeginTerminationMarksTheLicenseAgainstUpgrades);

}  // namespace lss::storage_test
