// The sync of one license as plain C++: a real repository (SQLite in a
// temporary file), a fake KA, no gRPC. Shows that the domain needs neither
// a server nor a network, and pins the rules of DESIGN.md §3-4 at this
// level; tests/integration checks the same end to end.
#include "server/sync/license_syncer.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/status/error_details.h"
#include "storage/database.h"
#include "tests/server/fakes/scratch_database.h"
#include "tests/server/fakes/fake_key_administrator.h"

namespace lss {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'790'000'000);

KaKey KeyAtKa() {
  KaKey key;
  key.key_number = "PLSK.00000042.0001";
  key.key_type = "PLESK_WEB_PRO";
  key.capacity = 100;
  key.features = {{"POWER_PACK", "Power Pack"}};
  key.update_due_time = kNow + absl::Hours(24 * 200);
  key.expire_time = kNow + absl::Hours(24 * 210);
  return key;
}

// Forwards to the fake KA and, on the first GetKeyInfo, runs `change` after
// KA answered and before the answer is delivered: the license changes while
// its sync waits for KA, as when an upgrade order completes meanwhile.
class ChangeDuringFirstAnswer final : public KeyAdministrator {
 public:
  ChangeDuringFirstAnswer(KeyAdministrator& ka, std::function<void()> change)
      : ka_(ka), change_(std::move(change)) {}

  void GetKeyInfo(absl::string_view key_number, KaCallback<KaKey> done) override {
    ka_.GetKeyInfo(key_number, [this, done = std::move(done)](absl::StatusOr<KaKey> answer) mutable {
      if (change_) std::exchange(change_, nullptr)();
      std::move(done)(std::move(answer));
    });
  }
  void ListKeys(absl::string_view t, int n, KaCallback<KaKeyPage> done) override {
    ka_.ListKeys(t, n, std::move(done));
  }
  void ListKeyTypes(KaCallback<std::vector<KaKeyType>> done) override { ka_.ListKeyTypes(std::move(done)); }
  void GetAvailableUpgrades(absl::string_view k, KaCallback<KaUpgradeOptions> done) override {
    ka_.GetAvailableUpgrades(k, std::move(done));
  }
  void CreateKey(const KaCreateKeyRequest& r, KaCallback<KaKey> done) override { ka_.CreateKey(r, std::move(done)); }
  void UpgradeKey(const KaUpgradeKeyRequest& r, KaCallback<KaUpgradeResult> done) override {
    ka_.UpgradeKey(r, std::move(done));
  }
  void RenewKey(absl::string_view k, KaCallback<KaKey> done) override { ka_.RenewKey(k, std::move(done)); }
  void TerminateKey(absl::string_view k, KaCallback<KaKey> done) override { ka_.TerminateKey(k, std::move(done)); }

 private:
  KeyAdministrator& ka_;
  std::function<void()> change_;
};

// A repository whose RecordSyncFailure fails as a lost database would;
// everything else reaches the real one.
class FailureNotRecorded final : public LicenseRepository {
 public:
  explicit FailureNotRecorded(LicenseRepository& real) : real_(real) {}
  absl::StatusOr<LicenseRecord> RecordSyncFailure(int64_t, const SyncFailure&) override {
    return WithReason(absl::UnavailableError("record sync failure: Lost connection to server"),
                      kReasonDatabaseUnavailable);
  }
  absl::StatusOr<LicenseRecord> Create(const NewLicense& l, absl::Time now) override { return real_.Create(l, now); }
  absl::StatusOr<absl::optional<LicenseRecord>> FindCreatedBy(absl::string_view r, absl::string_view f) override {
    return real_.FindCreatedBy(r, f);
  }
  absl::StatusOr<CreateManyResult> CreateMany(const std::vector<NewLicense>& l, absl::Time now) override {
    return real_.CreateMany(l, now);
  }
  absl::StatusOr<LicenseRecord> Get(int64_t id) override { return real_.Get(id); }
  absl::StatusOr<LicenseRecord> FindByKeyNumber(absl::string_view k) override { return real_.FindByKeyNumber(k); }
  absl::StatusOr<std::vector<LicenseRecord>> List(const LicenseFilter& f, int64_t after, int limit) override {
    return real_.List(f, after, limit);
  }
  absl::StatusOr<LicenseRecord> RecordSync(int64_t id, const SyncOutcome& o) override { return real_.RecordSync(id, o); }
  absl::StatusOr<std::vector<LicenseRecord>> ListRenewalDue(absl::Time now, int64_t after, int limit) override {
    return real_.ListRenewalDue(now, after, limit);
  }
  absl::StatusOr<LicenseRecord> RecordRenewal(int64_t id, const Renewal& r, absl::Time now) override {
    return real_.RecordRenewal(id, r, now);
  }
  absl::StatusOr<LicenseRecord> MarkTerminated(int64_t id, absl::Time now) override {
    return real_.MarkTerminated(id, now);
  }
  absl::StatusOr<LicenseRecord> BeginTermination(int64_t id, absl::Time until, absl::Time now) override {
    return real_.BeginTermination(id, until, now);
  }
  absl::Status EndTermination(int64_t id) override { return real_.EndTermination(id); }
  absl::StatusOr<int64_t> ExpirePastDue(absl::Time now) override { return real_.ExpirePastDue(now); }
  absl::StatusOr<int64_t> PruneHistoryBefore(absl::Time cutoff) override { return real_.PruneHistoryBefore(cutoff); }
  absl::StatusOr<std::vector<SyncHistoryEntry>> ListJobFailures(absl::string_view job, int limit) override {
    return real_.ListJobFailures(job, limit);
  }
  absl::StatusOr<std::vector<SyncHistoryEntry>> ListHistory(int64_t id, int64_t before, int limit) override {
    return real_.ListHistory(id, before, limit);
  }

 private:
  LicenseRepository& real_;
};

class LicenseSyncerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<testing::ScratchDatabase> db = testing::ScratchDatabase::Open("syncer");
    ASSERT_TRUE(db.ok()) << db.status();
    scratch_ = *std::move(db);
    db_ = scratch_.db.get();
    ka_.Put(KeyAtKa());
    NewLicense license;
    license.config.key_number = "PLSK.00000042.0001";
    license.config.license_class = "PLESK_WEB_PRO";
    license.config.capacity = 100;
    license.config.features = {"POWER_PACK"};
    license.config.renewal_due_time = KeyAtKa().update_due_time;
    license.config.expire_time = KeyAtKa().expire_time;
    absl::StatusOr<LicenseRecord> created = db_->licenses().Create(license, kNow);
    ASSERT_TRUE(created.ok()) << created.status();
    license_ = *created;
    syncer_ = std::make_unique<LicenseSyncer>(db_->licenses(), ka_, pool_, clock_);
  }

  absl::StatusOr<SyncReport> Sync(LicenseRef ref) {
    absl::Notification done;
    absl::StatusOr<SyncReport> report = absl::UnknownError("not run");
    syncer_->Sync(ref, [&](absl::StatusOr<SyncReport> r) {
      report = std::move(r);
      done.Notify();
    });
    done.WaitForNotification();
    return report;
  }

  testing::ScratchDatabase scratch_;
  Database* db_ = nullptr;
  testing::FakeKeyAdministrator ka_;
  WorkerPool pool_{2};
  ManualClock clock_{kNow};
  LicenseRecord license_;
  std::unique_ptr<LicenseSyncer> syncer_;
};

TEST_F(LicenseSyncerTest, MatchingKeyIsInSyncAndRecorded) {
  absl::StatusOr<SyncReport> report = Sync(LicenseRef::ById(license_.license_id));
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->license.sync.status, SyncStatus::kInSync);
  EXPECT_EQ(report->license.last_synced_at, kNow);
  EXPECT_EQ(report->entry.ka_key_number, "PLSK.00000042.0001");
  absl::StatusOr<std::vector<SyncHistoryEntry>> history = db_->licenses().ListHistory(license_.license_id, 0, 10);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].result->status, SyncStatus::kInSync);
}

// KA's first answer predates a renewal that billing and KA both recorded
// while the sync waited: comparing it with the renewed license would report
// the dates as changed. The stale result is not recorded; the sync asks KA
// again and records In Sync on the renewed license.
TEST_F(LicenseSyncerTest, ALicenseChangedWhileKaIsAskedIsSyncedAgainOnItsNewVersion) {
  // Renewed licenses are In Sync ones: a first sync makes it so.
  ASSERT_TRUE(Sync(LicenseRef::ById(license_.license_id)).ok());
  const int calls_before = ka_.calls();
  KaKey renewed = KeyAtKa();
  renewed.update_due_time += absl::Hours(24 * 365);
  renewed.expire_time += absl::Hours(24 * 365);
  ChangeDuringFirstAnswer ka(ka_, [&] {
    ka_.Put(renewed);
    ASSERT_TRUE(db_->licenses()
                    .RecordRenewal(license_.license_id,
                                   Renewal{renewed.key_number, renewed.update_due_time, renewed.expire_time}, kNow)
                    .ok());
  });
  LicenseSyncer syncer(db_->licenses(), ka, pool_, clock_);
  absl::Notification done;
  absl::StatusOr<SyncReport> report = absl::UnknownError("not run");
  syncer.Sync(LicenseRef::ById(license_.license_id), [&](absl::StatusOr<SyncReport> r) {
    report = std::move(r);
    done.Notify();
  });
  done.WaitForNotification();

  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->license.sync.status, SyncStatus::kInSync) << report->license.sync.message;
  EXPECT_EQ(report->license.config.expire_time, renewed.expire_time);
  EXPECT_EQ(ka_.calls() - calls_before, 2) << "asked again after the license changed";
  absl::StatusOr<std::vector<SyncHistoryEntry>> history = db_->licenses().ListHistory(license_.license_id, 0, 10);
  ASSERT_TRUE(history.ok()) << history.status();
  // The first sync's entry only: the stale comparison left none, and the
  // sync on the renewed version found the result unchanged.
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].result->status, SyncStatus::kInSync);
}

TEST_F(LicenseSyncerTest, ChangedKeyIsNotInSyncWithoutTouchingTheConfiguration) {
  KaKey changed = KeyAtKa();
  changed.capacity = 300;
  ka_.Put(changed);
  absl::StatusOr<SyncReport> report = Sync(LicenseRef::ByKeyNumber("PLSK.00000042"));
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->license.sync.status, SyncStatus::kNotInSync);
  ASSERT_EQ(report->license.sync.mismatches.size(), 1u);
  EXPECT_EQ(report->license.sync.mismatches[0], (Mismatch{MismatchKind::kCapacityChanged, "100", "300"}));
  EXPECT_EQ(report->license.config, license_.config);
  EXPECT_EQ(report->license.version, license_.version + 1);
}

TEST_F(LicenseSyncerTest, KeyUnknownToKaIsAResultNotAnError) {
  testing::FakeKeyAdministrator empty;  // a KA that knows no key at all
  LicenseSyncer syncer(db_->licenses(), empty, pool_, clock_);
  absl::Notification done;
  absl::StatusOr<SyncReport> unknown = absl::UnknownError("not run");
  syncer.Sync(LicenseRef::ById(license_.license_id), [&](absl::StatusOr<SyncReport> r) {
    unknown = std::move(r);
    done.Notify();
  });
  done.WaitForNotification();
  ASSERT_TRUE(unknown.ok()) << unknown.status();
  EXPECT_EQ(unknown->license.sync.status, SyncStatus::kNotInSync);
  ASSERT_EQ(unknown->license.sync.mismatches.size(), 1u);
  EXPECT_EQ(unknown->license.sync.mismatches[0].kind, MismatchKind::kKeyNotFound);
}

TEST_F(LicenseSyncerTest, UnreachableKaFailsTheAttemptAndKeepsTheStatus) {
  ASSERT_TRUE(Sync(LicenseRef::ById(license_.license_id)).ok());
  const LicenseRecord in_sync = *db_->licenses().Get(license_.license_id);
  ka_.FailWith(WithReason(absl::UnavailableError("Key Administrator unreachable"), kReasonKaUnavailable));

  absl::StatusOr<SyncReport> report = Sync(LicenseRef::ById(license_.license_id));
  EXPECT_EQ(report.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ReasonOf(report.status()), kReasonKaUnavailable);
  const LicenseRecord after = *db_->licenses().Get(license_.license_id);
  EXPECT_EQ(after.sync, in_sync.sync);
  EXPECT_EQ(after.version, in_sync.version);
  EXPECT_EQ(after.last_sync_error, "Key Administrator unreachable");
}

// KA failed and so did recording that: the caller still learns KA's error,
// which is what to act on (the database's is logged).
TEST_F(LicenseSyncerTest, KaFailingWhileTheFailureCannotBeRecordedAnswersKasError) {
  ka_.FailWith(WithReason(absl::UnavailableError("KA is down"), kReasonKaUnavailable));
  FailureNotRecorded licenses(db_->licenses());
  LicenseSyncer syncer(licenses, ka_, pool_, clock_);
  absl::Notification done;
  absl::StatusOr<SyncReport> report = absl::UnknownError("not run");
  ::testing::internal::CaptureStderr();
  syncer.Sync(LicenseRef::ById(license_.license_id), [&](absl::StatusOr<SyncReport> r) {
    report = std::move(r);
    done.Notify();
  });
  done.WaitForNotification();
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(report.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ReasonOf(report.status()), kReasonKaUnavailable);
  EXPECT_NE(log.find("sync_failure_not_recorded"), std::string::npos) << log;
}

TEST_F(LicenseSyncerTest, BadReferencesNeverReachKa) {
  EXPECT_EQ(Sync(LicenseRef{}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Sync(LicenseRef::ById(-3)).status().code(), absl::StatusCode::kInvalidArgument);
  absl::StatusOr<SyncReport> malformed = Sync(LicenseRef::ByKeyNumber("PLSK-42"));
  EXPECT_EQ(malformed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(malformed.status())[0].field, "key_number");
  absl::StatusOr<SyncReport> unknown = Sync(LicenseRef::ById(license_.license_id + 1000));
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ReasonOf(unknown.status()), kReasonLicenseNotFound);
  EXPECT_EQ(ka_.calls(), 0);
}

}  // namespace
}  // namespace lss
