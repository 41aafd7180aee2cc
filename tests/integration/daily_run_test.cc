// The daily run end to end: real ka-mock and license-server processes whose
// clock is moved by --testing_clock_offset to a chosen day, on the backend this
// executable was built for. The test knows every license's dates (read after
// the import) and which keys it changed at KA, so it computes exactly what
// the run must renew, leave alone and expire, and checks every license.
// Every wait is a condition with a deadline.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "keyadmin/v1/key_administrator_admin.grpc.pb.h"
#include "licensing/v1/license_service.grpc.pb.h"
#include "tests/harness/harness.h"
#include "tests/integration/integration_stack.h"

namespace lss {
namespace {

using harness::KaMockProcess;
using harness::LicenseServerProcess;
using harness::WaitFor;
using keyadmin::v1::KeyAdministratorAdminService;
using licensing::v1::DailyRun;
using licensing::v1::DailyRunPhase;
using licensing::v1::License;
using licensing::v1::LicenseService;

constexpr int kLicenses = 200;

std::unique_ptr<grpc::ClientContext> Context(absl::Duration timeout = absl::Seconds(60)) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout));
  return context;
}

absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

absl::Time StartOfUtcDay(absl::Time t) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  return absl::FromCivil(absl::ToCivilDay(t, utc), utc);
}

std::string DayOf(absl::Time t) {
  return absl::FormatCivilTime(absl::ToCivilDay(t, absl::UTCTimeZone()));
}

// KA's renewal (ka-mock's lease term): one calendar year after the old
// expiration, due ten days before it.
absl::Time OneYearAfter(absl::Time t) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::CivilSecond s = absl::ToCivilSecond(t, utc);
  return absl::FromCivil(absl::CivilSecond(s.year() + 1, s.month(), s.day(), s.hour(), s.minute(), s.second()),
                         utc);
}

class DailyRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<IntegrationStack>> stack = IntegrationStack::Start("daily-run", kLicenses);
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
    options_ = stack_->server_options();
    ka_admin_ = KeyAdministratorAdminService::NewStub(stack_->ka().NewChannel());
    options_.extra_args = {"--sync-lease=2s",         "--sync-poll-interval=100ms",
                           "--progress-interval=100ms", "--ka-probe-interval=100ms",
                           "--sync-chunk-size=25",      "--ka-deadline=2s",
                           "--daily-check-interval=100ms"};

    // The import runs on today's clock with the daily run off.
    std::unique_ptr<LicenseServerProcess> importer = StartServer("importer", "off", absl::ZeroDuration());
    ASSERT_NE(importer, nullptr);
    auto stub = LicenseService::NewStub(importer->NewChannel());
    licensing::v1::ImportLicensesResponse imported;
    ASSERT_TRUE(stub->ImportLicenses(Context().get(), {}, &imported).ok());
    ASSERT_EQ(imported.imported(), kLicenses);
    for (const License& license : ListAll(*stub)) before_[license.license_id()] = license;
    importer->Stop();

    // The day the tests move the servers to: a month ahead at noon, so that
    // some licenses are due for renewal and some past their expiration
    // (ka-mock seeds expirations 1 to 365 days ahead, at midnight).
    run_time_ = StartOfUtcDay(absl::Now()) + absl::Hours(24 * 30 + 12);
  }

  // A server whose clock reads `now_at_start` now; `daily_at` as the flag.
  std::unique_ptr<LicenseServerProcess> StartServer(const std::string& name, const std::string& daily_at,
                                                    absl::Duration offset,
                                                    std::vector<std::string> more_args = {}) {
    harness::LicenseServerOptions options = options_;
    options.daily_at = daily_at;
    options.extra_args.push_back(absl::StrCat("--replica-id=", name));
    options.extra_args.push_back(absl::StrCat("--testing-clock-offset=", absl::FormatDuration(offset)));
    options.extra_args.insert(options.extra_args.end(), more_args.begin(), more_args.end());
    absl::StatusOr<std::unique_ptr<LicenseServerProcess>> server = LicenseServerProcess::Start(options);
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? *std::move(server) : nullptr;
  }

  // A server living at `fake_now` (its clock reads that now and runs on).
  std::unique_ptr<LicenseServerProcess> StartServerAt(const std::string& name, absl::Time fake_now,
                                                      std::vector<std::string> more_args = {}) {
    return StartServer(name, "02:00", fake_now - absl::Now(), std::move(more_args));
  }

  static std::vector<License> ListAll(LicenseService::Stub& stub) {
    std::vector<License> all;
    licensing::v1::ListLicensesRequest request;
    request.set_page_size(1000);
    for (;;) {
      licensing::v1::ListLicensesResponse response;
      grpc::Status status = stub.ListLicenses(Context().get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) return all;
      all.insert(all.end(), response.licenses().begin(), response.licenses().end());
      if (response.next_page_token().empty()) return all;
      request.set_page_token(response.next_page_token());
    }
  }

  static std::vector<DailyRun> ListRuns(LicenseService::Stub& stub) {
    licensing::v1::ListDailyRunsResponse response;
    grpc::Status status = stub.ListDailyRuns(Context().get(), {}, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.daily_runs().begin(), response.daily_runs().end()};
  }

  // The run of `day` once it has ended.
  static DailyRun AwaitRun(LicenseService::Stub& stub, const std::string& day) {
    DailyRun found;
    EXPECT_TRUE(WaitFor(
        [&] {
          for (const DailyRun& run : ListRuns(stub)) {
            if (run.run_date() == day && run.state() != licensing::v1::DAILY_RUN_STATE_RUNNING) {
              found = run;
              return true;
            }
          }
          return false;
        },
        absl::Seconds(90)))
        << "no ended daily run of " << day;
    return found;
  }

  static const DailyRunPhase& PhaseOf(const DailyRun& run, licensing::v1::DailyRunPhaseKind kind) {
    for (const DailyRunPhase& phase : run.phases()) {
      if (phase.kind() == kind) return phase;
    }
    ADD_FAILURE() << "run " << run.run_date() << " has no phase " << kind;
    static const DailyRunPhase kNone;
    return kNone;
  }

  void SetCapacityAtKa(int64_t license_id, int64_t capacity) {
    keyadmin::v1::ChangeKeyRequest change;
    change.set_key_number(before_.at(license_id).key_number());
    change.set_capacity(capacity);
    keyadmin::v1::ChangeKeyResponse changed;
    grpc::Status status = ka_admin_->ChangeKey(Context().get(), change, &changed);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // Marks keys as a problem at KA, so that the day's sync finds them Not In
  // Sync and the run must neither renew them nor keep them past expiry.
  void MarkProblemAtKa(const std::set<int64_t>& license_ids) {
    for (int64_t id : license_ids) {
      keyadmin::v1::ChangeKeyRequest change;
      change.set_key_number(before_.at(id).key_number());
      change.set_mark_problem(true);
      keyadmin::v1::ChangeKeyResponse changed;
      grpc::Status status = ka_admin_->ChangeKey(Context().get(), change, &changed);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
  }

  void FailRenewalsAtKa(bool fail) {
    keyadmin::v1::SetFaultsRequest faults;
    if (fail) {
      faults.set_error_rate(1.0);
      faults.set_error_code(keyadmin::v1::RESULT_CODE_REMOTE_OPERATION_FAILED);
      faults.add_methods("RenewKey");
    }
    keyadmin::v1::SetFaultsResponse ignored;
    ASSERT_TRUE(ka_admin_->SetFaults(Context().get(), faults, &ignored).ok());
  }

  int64_t KaCalls(const std::string& method) {
    keyadmin::v1::GetCallCountsResponse counts;
    EXPECT_TRUE(ka_admin_->GetCallCounts(Context().get(), {}, &counts).ok());
    auto it = counts.counts().find(method);
    return it == counts.counts().end() ? 0 : it->second;
  }

  // Licenses (of those imported) whose renewal is due at `t` / that expire
  // before `t`, leaving out `excluded`.
  std::set<int64_t> DueAt(absl::Time t, const std::set<int64_t>& excluded = {}) const {
    std::set<int64_t> ids;
    for (const auto& [id, license] : before_) {
      if (!excluded.count(id) && TimeOf(license.renewal_due_time()) <= t) ids.insert(id);
    }
    return ids;
  }
  std::set<int64_t> ExpiredAt(absl::Time t) const {
    std::set<int64_t> ids;
    for (const auto& [id, license] : before_) {
      if (TimeOf(license.expire_time()) < t) ids.insert(id);
    }
    return ids;
  }

  std::unique_ptr<IntegrationStack> stack_;
  std::unique_ptr<KeyAdministratorAdminService::Stub> ka_admin_;
  harness::LicenseServerOptions options_;
  std::map<int64_t, License> before_;  // every license as imported
  absl::Time run_time_;
};

TEST_F(DailyRunTest, LateTheSameDayItSyncsRenewsAndExpiresExactlyTheRightLicenses) {
  // Not In Sync on the day: three past their expiration, two due for
  // renewal but not yet expired.
  std::set<int64_t> changed;
  const std::set<int64_t> expired_anyway = ExpiredAt(run_time_);
  ASSERT_GE(expired_anyway.size(), 3u);
  for (int64_t id : expired_anyway) {
    if (changed.size() < 3) changed.insert(id);
  }
  for (int64_t id : DueAt(run_time_)) {
    if (changed.size() < 5 && !expired_anyway.count(id)) changed.insert(id);
  }
  ASSERT_EQ(changed.size(), 5u);
  MarkProblemAtKa(changed);
  const std::set<int64_t> renewed = DueAt(run_time_, changed);
  ASSERT_GE(renewed.size(), 5u);
  std::set<int64_t> expired;
  for (int64_t id : changed) {
    if (expired_anyway.count(id)) expired.insert(id);
  }

  // Started long after 02:00 with no run for the day: it runs at once.
  std::unique_ptr<LicenseServerProcess> server = StartServerAt("replica-a", run_time_);
  ASSERT_NE(server, nullptr);
  auto stub = LicenseService::NewStub(server->NewChannel());
  const DailyRun run = AwaitRun(*stub, DayOf(run_time_));

  EXPECT_EQ(run.state(), licensing::v1::DAILY_RUN_STATE_SUCCEEDED);
  EXPECT_FALSE(run.run_id().empty());
  ASSERT_EQ(run.phases_size(), 4);
  const DailyRunPhase& sync = PhaseOf(run, licensing::v1::DAILY_RUN_PHASE_KIND_SYNC);
  EXPECT_EQ(sync.state(), licensing::v1::DAILY_RUN_STATE_SUCCEEDED);
  EXPECT_EQ(sync.processed(), kLicenses);
  EXPECT_EQ(sync.succeeded(), kLicenses);
  EXPECT_EQ(sync.failed(), 0);
  EXPECT_FALSE(sync.job_id().empty());
  const DailyRunPhase& renew = PhaseOf(run, licensing::v1::DAILY_RUN_PHASE_KIND_RENEW);
  EXPECT_EQ(renew.state(), licensing::v1::DAILY_RUN_STATE_SUCCEEDED);
  EXPECT_EQ(renew.processed(), static_cast<int64_t>(renewed.size()));
  EXPECT_EQ(renew.succeeded(), static_cast<int64_t>(renewed.size()));
  EXPECT_EQ(renew.failed(), 0);
  const DailyRunPhase& expire = PhaseOf(run, licensing::v1::DAILY_RUN_PHASE_KIND_EXPIRE);
  EXPECT_EQ(expire.succeeded(), static_cast<int64_t>(expired.size()));
  EXPECT_EQ(PhaseOf(run, licensing::v1::DAILY_RUN_PHASE_KIND_PRUNE).state(),
            licensing::v1::DAILY_RUN_STATE_SUCCEEDED);
  EXPECT_EQ(KaCalls("RenewKey"), static_cast<int64_t>(renewed.size()));

  // The day's SyncAll is a job like any other, started by the daily run.
  licensing::v1::GetSyncJobRequest get_job;
  get_job.set_job_id(sync.job_id());
  licensing::v1::GetSyncJobResponse job;
  ASSERT_TRUE(stub->GetSyncJob(Context().get(), get_job, &job).ok());
  EXPECT_EQ(job.job().created_by(), "system:daily-run");
  EXPECT_EQ(job.job().progress().not_in_sync(), static_cast<int64_t>(changed.size()));

  for (const License& after : ListAll(*stub)) {
    const License& was = before_.at(after.license_id());
    SCOPED_TRACE(absl::StrCat("license ", after.license_id(), " ", after.key_number()));
    if (renewed.count(after.license_id())) {
      const absl::Time new_expiry = OneYearAfter(TimeOf(was.expire_time()));
      EXPECT_EQ(TimeOf(after.expire_time()), new_expiry);
      EXPECT_EQ(TimeOf(after.renewal_due_time()), new_expiry - absl::Hours(24 * 10));
      EXPECT_EQ(after.state(), licensing::v1::LICENSE_STATE_ACTIVE);
      EXPECT_EQ(after.sync_status(), licensing::v1::SYNC_STATUS_IN_SYNC);
      EXPECT_NE(after.etag(), was.etag());
    } else {
      EXPECT_EQ(TimeOf(after.expire_time()), TimeOf(was.expire_time()));
      EXPECT_EQ(TimeOf(after.renewal_due_time()), TimeOf(was.renewal_due_time()));
      EXPECT_EQ(after.state(), expired.count(after.license_id()) ? licensing::v1::LICENSE_STATE_EXPIRED
                                                                  : licensing::v1::LICENSE_STATE_ACTIVE);
    }
    if (changed.count(after.license_id())) {
      EXPECT_EQ(after.sync_status(), licensing::v1::SYNC_STATUS_NOT_IN_SYNC);
      // Usable until its expiration, not renewed.
      EXPECT_EQ(TimeOf(after.usable_until()), TimeOf(was.expire_time()));
    }
  }

  // Billing now holds KA's new dates: a renewed license syncs In Sync.
  licensing::v1::SyncLicenseRequest sync_one;
  sync_one.set_license_id(*renewed.begin());
  licensing::v1::SyncLicenseResponse synced;
  ASSERT_TRUE(stub->SyncLicense(Context().get(), sync_one, &synced).ok());
  EXPECT_EQ(synced.license().sync_status(), licensing::v1::SYNC_STATUS_IN_SYNC) << synced.license().sync_message();
}

TEST_F(DailyRunTest, ItStartsAtTheConfiguredTime) {
  const absl::Time before_two = StartOfUtcDay(run_time_) + absl::Hours(2) - absl::Seconds(1);
  std::unique_ptr<LicenseServerProcess> server = StartServerAt("replica-a", before_two);
  ASSERT_NE(server, nullptr);
  auto stub = LicenseService::NewStub(server->NewChannel());
  const DailyRun run = AwaitRun(*stub, DayOf(before_two));
  EXPECT_EQ(run.state(), licensing::v1::DAILY_RUN_STATE_SUCCEEDED);
  // It waited for 02:00 on the server's clock.
  EXPECT_GE(TimeOf(run.start_time()), StartOfUtcDay(run_time_) + absl::Hours(2));

  // The day's one run: the database refuses a second claim of a day (the
  // storage suite's DailyRunTest; two replicas: TwoReplicasUpAtTheTime...).
  EXPECT_EQ(ListRuns(*stub).size(), 1u);
}

TEST_F(DailyRunTest, FailedRenewalsAreRetriedTheNextDayAndOldHistoryAndJobsArePruned) {
  // A license neither due nor expiring on either day whose capacity KA
  // changes before the first day and changes back before the second: each
  // day's sync finds its result changed and leaves a history entry (an
  // unchanged result leaves none).
  int64_t drifting = 0;
  for (const auto& [id, license] : before_) {
    if (!DueAt(run_time_).count(id) && !DueAt(run_time_ + absl::Hours(24)).count(id) &&
        !ExpiredAt(run_time_ + absl::Hours(24)).count(id)) {
      drifting = id;
      break;
    }
  }
  ASSERT_NE(drifting, 0);
  SetCapacityAtKa(drifting, before_.at(drifting).capacity() + 1);
  FailRenewalsAtKa(true);
  std::unique_ptr<LicenseServerProcess> server = StartServerAt("replica-a", run_time_);
  ASSERT_NE(server, nullptr);
  auto stub = LicenseService::NewStub(server->NewChannel());
  const DailyRun first = AwaitRun(*stub, DayOf(run_time_));
  const std::set<int64_t> due = DueAt(run_time_);
  const DailyRunPhase& failed = PhaseOf(first, licensing::v1::DAILY_RUN_PHASE_KIND_RENEW);
  // Single licenses failing do not fail the run.
  EXPECT_EQ(first.state(), licensing::v1::DAILY_RUN_STATE_SUCCEEDED);
  EXPECT_EQ(failed.processed(), static_cast<int64_t>(due.size()));
  EXPECT_EQ(failed.succeeded(), 0);
  EXPECT_EQ(failed.failed(), static_cast<int64_t>(due.size()));
  ASSERT_EQ(failed.failures_size(), static_cast<int>(due.size()));
  for (const licensing::v1::DailyRunFailure& failure : failed.failures()) {
    EXPECT_TRUE(due.count(failure.license_id())) << failure.license_id();
    EXPECT_EQ(failure.key_number(), before_.at(failure.license_id()).key_number());
    EXPECT_FALSE(failure.error().empty());
  }
  // Not renewed, those past their expiration expired.
  const std::set<int64_t> expired = ExpiredAt(run_time_);
  EXPECT_EQ(PhaseOf(first, licensing::v1::DAILY_RUN_PHASE_KIND_EXPIRE).succeeded(),
            static_cast<int64_t>(expired.size()));
  server->Stop();

  // The next day, KA renews again: what is still ACTIVE and due is renewed;
  // the first day's history and job are past a 12-hour retention.
  FailRenewalsAtKa(false);
  SetCapacityAtKa(drifting, before_.at(drifting).capacity());
  const absl::Time next_day = run_time_ + absl::Hours(24);
  server = StartServerAt("replica-a", next_day, {"--history-retention=12h", "--job-retention=12h"});
  ASSERT_NE(server, nullptr);
  stub = LicenseService::NewStub(server->NewChannel());
  const DailyRun second = AwaitRun(*stub, DayOf(next_day));
  std::set<int64_t> retried;
  for (int64_t id : DueAt(next_day)) {
    if (!expired.count(id)) retried.insert(id);
  }
  ASSERT_FALSE(retried.empty());
  const DailyRunPhase& renew = PhaseOf(second, licensing::v1::DAILY_RUN_PHASE_KIND_RENEW);
  EXPECT_EQ(renew.succeeded(), static_cast<int64_t>(retried.size()));
  EXPECT_EQ(renew.failed(), 0);
  for (const License& after : ListAll(*stub)) {
    if (!retried.count(after.license_id())) continue;
    EXPECT_EQ(TimeOf(after.expire_time()), OneYearAfter(TimeOf(before_.at(after.license_id()).expire_time())));
  }

  // Pruned: the first day's job and its history (the drifting license's
  // entry).
  const DailyRunPhase& prune = PhaseOf(second, licensing::v1::DAILY_RUN_PHASE_KIND_PRUNE);
  EXPECT_EQ(prune.state(), licensing::v1::DAILY_RUN_STATE_SUCCEEDED);
  EXPECT_GE(prune.succeeded(), 2);
  licensing::v1::ListSyncJobsResponse jobs;
  ASSERT_TRUE(stub->ListSyncJobs(Context().get(), {}, &jobs).ok());
  ASSERT_EQ(jobs.jobs_size(), 1);
  EXPECT_EQ(jobs.jobs(0).job_id(), PhaseOf(second, licensing::v1::DAILY_RUN_PHASE_KIND_SYNC).job_id());
  licensing::v1::ListSyncHistoryRequest history_request;
  history_request.set_license_id(drifting);
  licensing::v1::ListSyncHistoryResponse history;
  ASSERT_TRUE(stub->ListSyncHistory(Context().get(), history_request, &history).ok());
  ASSERT_EQ(history.entries_size(), 1);
  EXPECT_EQ(history.entries(0).job_id(), jobs.jobs(0).job_id());

  // Both days are listed, newest first.
  std::vector<DailyRun> runs = ListRuns(*stub);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].run_date(), DayOf(next_day));
  EXPECT_EQ(runs[1].run_date(), DayOf(run_time_));

  // Paged one at a time; bad paging input is refused.
  licensing::v1::ListDailyRunsRequest page_request;
  page_request.set_page_size(1);
  licensing::v1::ListDailyRunsResponse page;
  ASSERT_TRUE(stub->ListDailyRuns(Context().get(), page_request, &page).ok());
  ASSERT_EQ(page.daily_runs_size(), 1);
  EXPECT_EQ(page.daily_runs(0).run_date(), DayOf(next_day));
  ASSERT_FALSE(page.next_page_token().empty());
  page_request.set_page_token(page.next_page_token());
  ASSERT_TRUE(stub->ListDailyRuns(Context().get(), page_request, &page).ok());
  ASSERT_EQ(page.daily_runs_size(), 1);
  EXPECT_EQ(page.daily_runs(0).run_date(), DayOf(run_time_));
  EXPECT_TRUE(page.next_page_token().empty());
  page_request.set_page_token("not-a-token");
  EXPECT_EQ(stub->ListDailyRuns(Context().get(), page_request, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  page_request.clear_page_token();
  page_request.set_page_size(-1);
  EXPECT_EQ(stub->ListDailyRuns(Context().get(), page_request, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

#if LSS_TEST_MARIADB
TEST_F(DailyRunTest, TwoReplicasUpAtTheTimeRunTheDayOnce) {
  std::unique_ptr<LicenseServerProcess> a = StartServerAt("replica-a", run_time_);
  std::unique_ptr<LicenseServerProcess> b = StartServerAt("replica-b", run_time_);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  auto stub_a = LicenseService::NewStub(a->NewChannel());
  auto stub_b = LicenseService::NewStub(b->NewChannel());
  const DailyRun run = AwaitRun(*stub_a, DayOf(run_time_));
  EXPECT_EQ(run.state(), licensing::v1::DAILY_RUN_STATE_SUCCEEDED);
  const std::set<int64_t> due = DueAt(run_time_);
  EXPECT_EQ(PhaseOf(run, licensing::v1::DAILY_RUN_PHASE_KIND_RENEW).succeeded(), static_cast<int64_t>(due.size()));
  // Both replicas see the one run; KA renewed each due key once.
  EXPECT_EQ(ListRuns(*stub_b).size(), 1u);
  EXPECT_EQ(KaCalls("RenewKey"), static_cast<int64_t>(due.size()));
  licensing::v1::ListSyncJobsResponse jobs;
  ASSERT_TRUE(stub_b->ListSyncJobs(Context().get(), {}, &jobs).ok());
  EXPECT_EQ(jobs.jobs_size(), 1);
}
#endif

}  // namespace
}  // namespace lss
