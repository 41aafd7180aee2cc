// SyncAll end to end: real ka-mock and license-server processes, on the
// backend this executable was built for. Timings that matter (leases,
// intervals) are shortened by flags, so nothing waits in real time for long;
// every wait is a condition with a deadline.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
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
using licensing::v1::LicenseService;
using licensing::v1::SyncProgress;

constexpr int kLicenses = 300;

std::unique_ptr<grpc::ClientContext> Context(absl::Duration timeout = absl::Seconds(60)) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout));
  return context;
}

std::string ReasonOf(const grpc::Status& status) {
  google::rpc::Status proto;
  if (!proto.ParseFromString(status.error_details())) return "";
  for (const auto& detail : proto.details()) {
    google::rpc::ErrorInfo info;
    if (detail.UnpackTo(&info)) return info.reason();
  }
  return "";
}

// Reads a progress stream to its end on a thread of its own.
class StreamReader {
 public:
  StreamReader(LicenseService::Stub& stub, const licensing::v1::SyncAllRequest& request) {
    thread_ = std::thread([this, &stub, request] {
      auto reader = stub.SyncAll(context_.get(), request);
      licensing::v1::SyncAllResponse response;
      while (reader->Read(&response)) Add(response.progress());
      Finish(reader->Finish());
    });
  }
  StreamReader(LicenseService::Stub& stub, const std::string& job_id) {
    thread_ = std::thread([this, &stub, job_id] {
      licensing::v1::WatchSyncJobRequest request;
      request.set_job_id(job_id);
      auto reader = stub.WatchSyncJob(context_.get(), request);
      licensing::v1::WatchSyncJobResponse response;
      while (reader->Read(&response)) Add(response.progress());
      Finish(reader->Finish());
    });
  }
  ~StreamReader() {
    context_->TryCancel();
    thread_.join();
  }

  // Blocks until the stream ends; returns its status.
  grpc::Status Wait() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&ended_));
    return status_;
  }
  std::vector<SyncProgress> events() {
    absl::MutexLock lock(&mu_);
    return events_;
  }
  bool WaitForEvent(const std::function<bool(const SyncProgress&)>& matches, absl::Duration timeout) {
    return WaitFor(
        [&] {
          for (const SyncProgress& p : events()) {
            if (matches(p)) return true;
          }
          return false;
        },
        timeout);
  }
  void Disconnect() { context_->TryCancel(); }

 private:
  void Add(const SyncProgress& p) {
    absl::MutexLock lock(&mu_);
    events_.push_back(p);
  }
  void Finish(grpc::Status status) {
    absl::MutexLock lock(&mu_);
    status_ = std::move(status);
    ended_ = true;
  }

  std::unique_ptr<grpc::ClientContext> context_ = Context(absl::Minutes(5));
  absl::Mutex mu_;
  std::vector<SyncProgress> events_ ABSL_GUARDED_BY(mu_);
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

class SyncAllTest : public ::testing::Test {
 protected:
  // Whether a SyncAll of every license reads KA through ListKeys pages
  // (--sync-bulk, the default) or asks about each license (GetKeyInfo).
  virtual bool Bulk() const { return true; }

  void SetUp() override {
    absl::StatusOr<std::unique_ptr<IntegrationStack>> stack = IntegrationStack::Start("sync-all", kLicenses);
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
    options_ = stack_->server_options();
    ka_admin_ = KeyAdministratorAdminService::NewStub(stack_->ka().NewChannel());
    options_.extra_args = {"--sync-lease=2s", "--sync-poll-interval=100ms", "--progress-interval=100ms",
                           "--ka-probe-interval=100ms", "--sync-chunk-size=25", "--ka-deadline=1s",
                           // Pages of 25 keys: a job of many pages, as at scale.
                           absl::StrCat("--sync-bulk=", Bulk() ? "true" : "false"), "--ka-page-size=25"};
    server_ = StartServer("server-a");
    stub_ = LicenseService::NewStub(server_->NewChannel());
    licensing::v1::ImportLicensesResponse imported;
    ASSERT_TRUE(stub_->ImportLicenses(Context().get(), {}, &imported).ok());
    ASSERT_EQ(imported.imported(), kLicenses);
  }

  std::unique_ptr<LicenseServerProcess> StartServer(const std::string& name) {
    harness::LicenseServerOptions options = options_;
    options.extra_args.push_back(absl::StrCat("--replica-id=", name));
    absl::StatusOr<std::unique_ptr<LicenseServerProcess>> server = LicenseServerProcess::Start(options);
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? *std::move(server) : nullptr;
  }

  void SetKaFaults(int latency_ms, bool outage) {
    keyadmin::v1::SetFaultsRequest faults;
    faults.set_latency_ms(latency_ms);
    faults.set_outage(outage);
    keyadmin::v1::SetFaultsResponse ignored;
    ASSERT_TRUE(ka_admin_->SetFaults(Context().get(), faults, &ignored).ok());
  }

  licensing::v1::SyncJob GetJob(LicenseService::Stub& stub, const std::string& job_id) {
    licensing::v1::GetSyncJobRequest request;
    request.set_job_id(job_id);
    licensing::v1::GetSyncJobResponse response;
    grpc::Status status = stub.GetSyncJob(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.job();
  }

  static void ExpectCompleteTotals(const SyncProgress& last) {
    EXPECT_EQ(last.state(), licensing::v1::SYNC_JOB_STATE_SUCCEEDED);
    EXPECT_EQ(last.total(), kLicenses);
    EXPECT_EQ(last.processed(), kLicenses);
    EXPECT_EQ(last.in_sync() + last.not_in_sync() + last.errors() + last.skipped(), last.processed());
  }

  std::unique_ptr<IntegrationStack> stack_;
  std::unique_ptr<KeyAdministratorAdminService::Stub> ka_admin_;
  harness::LicenseServerOptions options_;
  std::unique_ptr<LicenseServerProcess> server_;
  std::unique_ptr<LicenseService::Stub> stub_;
};

// The tests that hold for both ways of reading KA.
class SyncAllPathTest : public SyncAllTest, public ::testing::WithParamInterface<bool> {
 protected:
  bool Bulk() const override { return GetParam(); }
};

INSTANTIATE_TEST_SUITE_P(ReadingKa, SyncAllPathTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "ListKeysPages" : "GetKeyInfoPerLicense";
                         });

// Asking KA about each license, where per-license KA faults apply.
class SyncAllPerLicenseTest : public SyncAllTest {
 protected:
  bool Bulk() const override { return false; }
};

TEST_P(SyncAllPathTest, TwoCallersShareOneJobToTheEnd) {
  SetKaFaults(5, false);  // slow enough that the second caller finds the job running
  StreamReader first(*stub_, licensing::v1::SyncAllRequest{});
  ASSERT_TRUE(first.WaitForEvent([](const SyncProgress&) { return true; }, absl::Seconds(30)));
  StreamReader second(*stub_, licensing::v1::SyncAllRequest{});
  ASSERT_TRUE(first.Wait().ok());
  ASSERT_TRUE(second.Wait().ok());
  const SyncProgress last_first = first.events().back();
  const SyncProgress last_second = second.events().back();
  EXPECT_EQ(last_first.job_id(), last_second.job_id());
  ExpectCompleteTotals(last_first);
  ExpectCompleteTotals(last_second);
  EXPECT_EQ(last_first.in_sync(), kLicenses);
  // Progress events came while it ran, counts never going back.
  std::vector<SyncProgress> events = first.events();
  for (size_t i = 1; i < events.size(); ++i) EXPECT_GE(events[i].processed(), events[i - 1].processed());
}

// The replica whose commit ends the job publishes the final event then, not
// at its next progress tick: with ticks an hour apart the stream still ends
// as soon as the job does (it used to wait up to a whole interval, which at
// the default of 1 s was a third of a 100k SyncAll's time as callers saw it).
TEST_P(SyncAllPathTest, TheFinalEventDoesNotWaitForTheNextProgressTick) {
  server_->Stop();
  options_.extra_args.push_back("--progress-interval=1h");
  server_ = StartServer("server-hourly");
  stub_ = LicenseService::NewStub(server_->NewChannel());
  StreamReader caller(*stub_, licensing::v1::SyncAllRequest{});
  // Well under the interval: the stream ends with the job or not at all.
  ASSERT_TRUE(caller.WaitForEvent([](const SyncProgress& p) { return p.state() != licensing::v1::SYNC_JOB_STATE_RUNNING; },
                                  absl::Minutes(2)));
  ASSERT_TRUE(caller.Wait().ok());
  ExpectCompleteTotals(caller.events().back());
}

TEST_F(SyncAllTest, AnotherScopeWhileAJobRunsIsAbortedNamingIt) {
  SetKaFaults(20, false);
  StreamReader running(*stub_, licensing::v1::SyncAllRequest{});
  ASSERT_TRUE(running.WaitForEvent([](const SyncProgress&) { return true; }, absl::Seconds(30)));
  licensing::v1::SyncAllRequest other;
  other.mutable_scope()->set_license_class("CLOUDLINUX");
  StreamReader refused(*stub_, other);
  grpc::Status status = refused.Wait();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(ReasonOf(status), "SYNC_JOB_ALREADY_RUNNING");
  EXPECT_NE(status.error_message().find(running.events().front().job_id()), std::string::npos);
  SetKaFaults(0, false);
  EXPECT_TRUE(running.Wait().ok());
}

TEST_P(SyncAllPathTest, CancelStopsTheJobAndKeepsResultsSoFar) {
  SetKaFaults(30, false);
  StreamReader stream(*stub_, licensing::v1::SyncAllRequest{});
  ASSERT_TRUE(stream.WaitForEvent([](const SyncProgress& p) { return p.processed() > 0; }, absl::Seconds(30)));
  const std::string job_id = stream.events().front().job_id();
  licensing::v1::CancelSyncJobRequest cancel;
  cancel.set_job_id(job_id);
  licensing::v1::CancelSyncJobResponse cancelled;
  ASSERT_TRUE(stub_->CancelSyncJob(Context().get(), cancel, &cancelled).ok());
  EXPECT_EQ(cancelled.job().state(), licensing::v1::SYNC_JOB_STATE_CANCELLED);
  ASSERT_TRUE(stream.Wait().ok());
  const SyncProgress last = stream.events().back();
  EXPECT_EQ(last.state(), licensing::v1::SYNC_JOB_STATE_CANCELLED);
  EXPECT_GT(last.processed(), 0);
  EXPECT_LT(last.processed(), kLicenses);
  // The slot is free: a new job can start.
  SetKaFaults(0, false);
  StreamReader next(*stub_, licensing::v1::SyncAllRequest{});
  ASSERT_TRUE(next.Wait().ok());
  EXPECT_NE(next.events().back().job_id(), job_id);
  ExpectCompleteTotals(next.events().back());
}

TEST_P(SyncAllPathTest, CallerDisconnectingLeavesTheJobRunningAndLateWatchersSeeIt) {
  SetKaFaults(5, false);
  std::string job_id;
  {
    StreamReader stream(*stub_, licensing::v1::SyncAllRequest{});
    ASSERT_TRUE(stream.WaitForEvent([](const SyncProgress&) { return true; }, absl::Seconds(30)));
    job_id = stream.events().front().job_id();
    stream.Disconnect();
  }
  ASSERT_TRUE(WaitFor(
      [&] { return GetJob(*stub_, job_id).state() == licensing::v1::SYNC_JOB_STATE_SUCCEEDED; },
      absl::Seconds(120)));
  // A watcher attaching after the end gets the final state at once.
  StreamReader late(*stub_, job_id);
  ASSERT_TRUE(late.Wait().ok());
  ASSERT_EQ(late.events().size(), 1u);
  ExpectCompleteTotals(late.events().back());

  licensing::v1::ListSyncJobsResponse jobs;
  ASSERT_TRUE(stub_->ListSyncJobs(Context().get(), {}, &jobs).ok());
  ASSERT_EQ(jobs.jobs_size(), 1);
  EXPECT_EQ(jobs.jobs(0).job_id(), job_id);
}

TEST_F(SyncAllTest, UnknownJobIsNotFound) {
  StreamReader watch(*stub_, std::string("job-does-not-exist"));
  grpc::Status status = watch.Wait();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  licensing::v1::GetSyncJobRequest request;
  licensing::v1::GetSyncJobResponse response;
  EXPECT_EQ(stub_->GetSyncJob(Context().get(), request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_P(SyncAllPathTest, KillNineMidJobResumesWithEveryLicenseCountedOnce) {
  SetKaFaults(10, false);
  std::string job_id;
  {
    StreamReader stream(*stub_, licensing::v1::SyncAllRequest{});
    ASSERT_TRUE(stream.WaitForEvent([](const SyncProgress& p) { return p.processed() >= 50; }, absl::Seconds(60)));
    job_id = stream.events().front().job_id();
    server_->Kill();
  }
  SetKaFaults(0, false);
  ASSERT_TRUE(server_->Restart().ok());
  stub_ = LicenseService::NewStub(server_->NewChannel());
  ASSERT_TRUE(WaitFor(
      [&] { return GetJob(*stub_, job_id).state() == licensing::v1::SYNC_JOB_STATE_SUCCEEDED; },
      absl::Seconds(120)));
  ExpectCompleteTotals(GetJob(*stub_, job_id).progress());
}

TEST_P(SyncAllPathTest, KaOutageMidJobPausesThenFinishesWithoutErrors) {
  // Slow enough that the job (a dozen rounds of KA calls) is still running
  // when the outage starts, however fast the machine: at 5 ms a quiet
  // machine finished it before the outage was set.
  SetKaFaults(200, false);
  StreamReader stream(*stub_, licensing::v1::SyncAllRequest{});
  ASSERT_TRUE(stream.WaitForEvent([](const SyncProgress& p) { return p.processed() > 0; }, absl::Seconds(60)));
  SetKaFaults(0, true);
  EXPECT_TRUE(stream.WaitForEvent([](const SyncProgress& p) { return p.waiting_for_key_administrator(); },
                                  absl::Seconds(60)));
  SetKaFaults(0, false);
  ASSERT_TRUE(stream.Wait().ok());
  const SyncProgress last = stream.events().back();
  ExpectCompleteTotals(last);
  EXPECT_EQ(last.errors(), 0);
  EXPECT_EQ(last.in_sync(), kLicenses);
}

// A KA error about one license is that license's: counted, recorded on the
// license with its status left as it was, and the job goes on.
TEST_F(SyncAllPerLicenseTest, KaErrorsForSomeLicensesAreCountedAndTheJobGoesOn) {
  keyadmin::v1::SetFaultsRequest faults;
  faults.set_error_rate(0.2);
  faults.set_error_code(keyadmin::v1::RESULT_CODE_REMOTE_OPERATION_FAILED);  // 287: not retried
  faults.add_methods("GetKeyInfo");
  keyadmin::v1::SetFaultsResponse ignored;
  ASSERT_TRUE(ka_admin_->SetFaults(Context().get(), faults, &ignored).ok());

  StreamReader stream(*stub_, licensing::v1::SyncAllRequest{});
  ASSERT_TRUE(stream.Wait().ok());
  const SyncProgress last = stream.events().back();
  ExpectCompleteTotals(last);
  EXPECT_GT(last.errors(), 0);
  EXPECT_GT(last.in_sync(), 0);

  // The failed ones kept their status (In Sync since the import) and say why.
  licensing::v1::ListLicensesRequest list;
  list.set_page_size(1000);
  licensing::v1::ListLicensesResponse all;
  ASSERT_TRUE(stub_->ListLicenses(Context().get(), list, &all).ok());
  int64_t with_error = 0;
  for (const licensing::v1::License& license : all.licenses()) {
    EXPECT_EQ(license.sync_status(), licensing::v1::SYNC_STATUS_IN_SYNC);
    with_error += !license.last_sync_error().empty();
  }
  EXPECT_EQ(with_error, last.errors());
}

// A bulk job reads KA's account page by page and asks KA about a license
// alone only when no page listed its key (here: a key deleted at KA).
TEST_F(SyncAllTest, ABulkJobReadsPagesAndAsksAboutUnlistedKeysAlone) {
  licensing::v1::ListLicensesRequest list;
  list.set_page_size(1000);
  licensing::v1::ListLicensesResponse all;
  ASSERT_TRUE(stub_->ListLicenses(Context().get(), list, &all).ok());
  ASSERT_EQ(all.licenses_size(), kLicenses);
  const licensing::v1::License& deleted = all.licenses(10);
  const licensing::v1::License& problem = all.licenses(200);
  for (const auto& [license, kind] : {std::pair{&deleted, 0}, std::pair{&problem, 1}}) {
    keyadmin::v1::ChangeKeyRequest change;
    change.set_key_number(license->key_number());
    if (kind == 0) {
      change.set_delete_(true);
    } else {
      change.set_mark_problem(true);
    }
    keyadmin::v1::ChangeKeyResponse changed;
    ASSERT_TRUE(ka_admin_->ChangeKey(Context().get(), change, &changed).ok());
  }
  keyadmin::v1::GetCallCountsRequest reset;
  reset.set_reset(true);
  keyadmin::v1::GetCallCountsResponse counts;
  ASSERT_TRUE(ka_admin_->GetCallCounts(Context().get(), reset, &counts).ok());

  StreamReader stream(*stub_, licensing::v1::SyncAllRequest{});
  ASSERT_TRUE(stream.Wait().ok());
  const SyncProgress last = stream.events().back();
  ExpectCompleteTotals(last);
  EXPECT_EQ(last.not_in_sync(), 2);
  EXPECT_EQ(last.in_sync(), kLicenses - 2);
  EXPECT_EQ(last.errors(), 0);

  ASSERT_TRUE(ka_admin_->GetCallCounts(Context().get(), {}, &counts).ok());
  // Main and additional keys, 25 to a page; one GetKeyInfo: the deleted key.
  EXPECT_GE(counts.counts().at("ListKeys"), kLicenses / 25);
  EXPECT_LE(counts.counts().at("ListKeys"), 2 * kLicenses / 25 + 1);
  EXPECT_EQ(counts.counts().at("GetKeyInfo"), 1);

  for (const auto& [id, kind] : {std::pair{deleted.license_id(), licensing::v1::MISMATCH_KIND_KEY_NOT_FOUND},
                                 std::pair{problem.license_id(), licensing::v1::MISMATCH_KIND_PROBLEM}}) {
    licensing::v1::GetLicenseRequest get;
    get.set_license_id(id);
    licensing::v1::GetLicenseResponse got;
    ASSERT_TRUE(stub_->GetLicense(Context().get(), get, &got).ok());
    EXPECT_EQ(got.license().sync_status(), licensing::v1::SYNC_STATUS_NOT_IN_SYNC);
    ASSERT_EQ(got.license().mismatches_size(), 1) << got.license().sync_message();
    EXPECT_EQ(got.license().mismatches(0).kind(), kind);
  }
}

#if LSS_TEST_MARIADB
// Two replicas work on one job, pages and chunks alike, and every license
// is counted once.
TEST_P(SyncAllPathTest, TwoReplicasShareOneJob) {
  std::unique_ptr<LicenseServerProcess> second = StartServer("server-b");
  ASSERT_NE(second, nullptr);
  // A third of the keys gone from KA: every chunk has KA calls to wait for
  // (a bulk job's range sweep asks about those keys one by one), so the
  // job lasts long enough for the second replica's polls to find work.
  licensing::v1::ListLicensesRequest list;
  list.set_page_size(1000);
  licensing::v1::ListLicensesResponse all;
  ASSERT_TRUE(stub_->ListLicenses(Context().get(), list, &all).ok());
  int64_t deleted = 0;
  for (int i = 0; i < all.licenses_size(); i += 3) {
    keyadmin::v1::ChangeKeyRequest change;
    change.set_key_number(all.licenses(i).key_number());
    change.set_delete_(true);
    keyadmin::v1::ChangeKeyResponse changed;
    ASSERT_TRUE(ka_admin_->ChangeKey(Context().get(), change, &changed).ok());
    ++deleted;
  }
  SetKaFaults(50, false);
  StreamReader stream(*stub_, licensing::v1::SyncAllRequest{});
  ASSERT_TRUE(stream.WaitForEvent([](const SyncProgress&) { return true; }, absl::Seconds(30)));
  const std::string job_id = stream.events().front().job_id();
  // Both replicas hold or held work of the job (chunk owners stay recorded).
  EXPECT_TRUE(WaitFor(
      [&] {
        absl::StatusOr<std::string> owners = stack_->db()->QueryScalar(absl::StrCat(
            "SELECT COUNT(DISTINCT owner) FROM sync_job_chunks WHERE job_id = '", job_id, "' AND owner <> ''"));
        return owners.ok() && *owners == "2";
      },
      absl::Seconds(60)));
  SetKaFaults(0, false);
  ASSERT_TRUE(stream.Wait().ok());
  const SyncProgress last = stream.events().back();
  ExpectCompleteTotals(last);
  EXPECT_EQ(last.not_in_sync(), deleted);
  EXPECT_EQ(last.in_sync(), kLicenses - deleted);
}

// Replicas share one job through the database: each claims chunks under
// leases, and a killed replica's chunk is taken over when its lease expires.
TEST_P(SyncAllPathTest, TwoReplicasShareOneJobAndSurviveOneBeingKilled) {
  std::unique_ptr<LicenseServerProcess> second = StartServer("server-b");
  ASSERT_NE(second, nullptr);
  auto second_stub = LicenseService::NewStub(second->NewChannel());
  SetKaFaults(10, false);
  StreamReader stream(*second_stub, licensing::v1::SyncAllRequest{});
  ASSERT_TRUE(stream.WaitForEvent([](const SyncProgress& p) { return p.processed() >= 50; }, absl::Seconds(60)));
  const std::string job_id = stream.events().front().job_id();
  server_->Kill();  // replica A dies holding a lease
  SetKaFaults(0, false);
  ASSERT_TRUE(stream.Wait().ok());
  ExpectCompleteTotals(stream.events().back());
  EXPECT_EQ(GetJob(*second_stub, job_id).progress().processed(), kLicenses);
}
#endif

}  // namespace
}  // namespace lss
