// licensectl end to end: the real binary, run as an operator's script runs
// it (stdout and stderr apart, not a terminal), against a real
// license-server and ka-mock on the backend this executable was built for.
// Each command's text and --json output (parsed back into its response
// message), its exit code, sync-all's plain progress lines, watch, --cancel,
// Ctrl-C detaching from a job that then completes, and the token read from
// a token file by a server that wants one.
//
// Jobs are held running, where a test needs them running, by a KA outage:
// the job pauses and probes until KA is back, so nothing depends on how
// fast the machine is.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "keyadmin/v1/key_administrator_admin.grpc.pb.h"
#include "licensing/v1/license_service.grpc.pb.h"
#include "tests/harness/free_port.h"
#include "tests/harness/harness.h"
#include "tests/harness/program_run.h"
#include "tests/integration/integration_stack.h"

namespace lss {
namespace {

using harness::ExitStatus;
using harness::LicenseServerProcess;
using harness::ProgramOutput;
using harness::WaitFor;
using keyadmin::v1::KeyAdministratorAdminService;
using licensing::v1::LicenseService;

constexpr int kLicenses = 30;

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return context;
}

std::vector<std::string> Lines(const std::string& text) { return absl::StrSplit(text, '\n', absl::SkipEmpty()); }

// `json` parsed into a Message, or a test failure naming the text.
template <typename Message>
Message Parse(const std::string& json) {
  Message message;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &message);
  EXPECT_TRUE(status.ok()) << status.ToString() << " in: " << json;
  return message;
}

// For EXPECT_TRUE: the suite links gtest without gmock's HasSubstr.
::testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (absl::StrContains(text, part)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected \"" << part << "\" in:\n" << text;
}

class LicensectlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<IntegrationStack>> stack = IntegrationStack::Start("licensectl", kLicenses);
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
    harness::LicenseServerOptions options = stack_->server_options();
    // Short intervals, so that jobs report and recover quickly; per-license
    // KA calls, so that each license is a call an outage can hold up.
    options.extra_args = {"--progress-interval=100ms", "--sync-poll-interval=100ms", "--sync-lease=2s",
                          "--ka-probe-interval=100ms", "--sync-chunk-size=5", "--ka-deadline=1s",
                          "--sync-bulk=false"};
    absl::StatusOr<std::unique_ptr<LicenseServerProcess>> server = LicenseServerProcess::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    stub_ = LicenseService::NewStub(server_->NewChannel());
    ka_admin_ = KeyAdministratorAdminService::NewStub(stack_->ka().NewChannel());

    licensing::v1::ImportLicensesResponse imported;
    ASSERT_TRUE(stub_->ImportLicenses(Context().get(), {}, &imported).ok());
    ASSERT_EQ(imported.imported(), kLicenses);
    licensing::v1::ListLicensesResponse all;
    ASSERT_TRUE(stub_->ListLicenses(Context().get(), {}, &all).ok());
    for (const auto& license : all.licenses()) licenses_.push_back(license);
  }

  // licensectl --address <the server> `args`, to completion.
  ProgramOutput Licensectl(std::vector<std::string> args) {
    args.insert(args.begin(), {"--address", server_->address()});
    return LicensectlAsIs(std::move(args));
  }
  static ProgramOutput LicensectlAsIs(std::vector<std::string> args) {
    absl::StatusOr<ProgramOutput> run =
        harness::RunProgram({.binary = LICENSECTL_PATH, .args = std::move(args), .timeout = absl::Seconds(120)});
    EXPECT_TRUE(run.ok()) << run.status();
    return run.ok() ? *std::move(run) : ProgramOutput{ExitStatus::Exited(-1), "", ""};
  }

  // licensectl `args` in the background, its stdout and stderr in one log.
  std::unique_ptr<harness::ChildProcess> StartLicensectl(std::vector<std::string> args) {
    args.insert(args.begin(), {"--address", server_->address()});
    absl::StatusOr<std::unique_ptr<harness::ChildProcess>> child = harness::ChildProcess::Start(
        {.binary = LICENSECTL_PATH, .args = std::move(args), .log_dir = stack_->path(),
         .name = absl::StrCat("licensectl-", ++background_runs_)});
    EXPECT_TRUE(child.ok()) << child.status();
    return child.ok() ? *std::move(child) : nullptr;
  }

  // The job a background sync-all or watch follows, once it has printed its
  // header (the stream is up); "" if it did not within the deadline.
  static std::string WaitForFollowedJob(harness::ChildProcess& licensectl) {
    const std::regex header("Job (job-[0-9a-f]+): following its progress");
    std::string job_id;
    WaitFor(
        [&] {
          std::smatch match;
          const std::string log = licensectl.LogTail(50);
          if (!std::regex_search(log, match, header)) return false;
          job_id = match[1];
          return true;
        },
        absl::Seconds(60));
    return job_id;
  }

  void SetKaOutage(bool outage) { SetKaFaults(0, outage); }

  void SetKaFaults(int latency_ms, bool outage) {
    keyadmin::v1::SetFaultsRequest faults;
    faults.set_latency_ms(latency_ms);
    faults.set_outage(outage);
    keyadmin::v1::SetFaultsResponse ignored;
    ASSERT_TRUE(ka_admin_->SetFaults(Context().get(), faults, &ignored).ok());
  }

  // Changes the capacity of `key_number` at KA: the license turns Not In Sync.
  void ChangeCapacityAtKa(const std::string& key_number, int64_t capacity) {
    keyadmin::v1::ChangeKeyRequest change;
    change.set_key_number(key_number);
    change.set_capacity(capacity);
    keyadmin::v1::ChangeKeyResponse changed;
    ASSERT_TRUE(ka_admin_->ChangeKey(Context().get(), change, &changed).ok());
  }

  licensing::v1::SyncJob GetJob(const std::string& job_id) {
    licensing::v1::GetSyncJobRequest request;
    request.set_job_id(job_id);
    licensing::v1::GetSyncJobResponse response;
    const grpc::Status status = stub_->GetSyncJob(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.job();
  }

  std::unique_ptr<IntegrationStack> stack_;
  std::unique_ptr<LicenseServerProcess> server_;
  std::unique_ptr<LicenseService::Stub> stub_;
  std::unique_ptr<KeyAdministratorAdminService::Stub> ka_admin_;
  std::vector<licensing::v1::License> licenses_;
  int background_runs_ = 0;
};

TEST_F(LicensectlTest, ListShowsTheLicensesAsATableAndAsJson) {
  ProgramOutput run = Licensectl({"list"});
  EXPECT_EQ(run.status, ExitStatus::Exited(0)) << run.err;
  EXPECT_TRUE(absl::StartsWith(run.out, "ID  KEY NUMBER")) << run.out;
  EXPECT_EQ(Lines(run.out).size(), 1u + kLicenses);
  EXPECT_TRUE(Contains(run.out, licenses_.back().key_number()));

  run = Licensectl({"list", "--json", "--page-size", "10"});
  EXPECT_EQ(run.status, ExitStatus::Exited(0)) << run.err;
  const auto page = Parse<licensing::v1::ListLicensesResponse>(run.out);
  EXPECT_EQ(page.licenses_size(), 10);
  EXPECT_FALSE(page.next_page_token().empty());
}

TEST_F(LicensectlTest, GetShowsOneLicenseByKeyOrId) {
  const licensing::v1::License& license = licenses_.front();
  ProgramOutput run = Licensectl({"get", license.key_number()});
  EXPECT_EQ(run.status, ExitStatus::Exited(0)) << run.err;
  EXPECT_TRUE(Contains(run.out, absl::StrCat("Key number:       ", license.key_number(), "\n")));
  EXPECT_TRUE(Contains(run.out, "Sync status:      In Sync"));

  run = Licensectl({"--json", "get", absl::StrCat(license.license_id())});
  EXPECT_EQ(run.status, ExitStatus::Exited(0)) << run.err;
  EXPECT_EQ(Parse<licensing::v1::GetLicenseResponse>(run.out).license().key_number(), license.key_number());
}

TEST_F(LicensectlTest, SyncExits0InSyncAnd3NotInSyncWithTheMismatch) {
  const licensing::v1::License& license = licenses_.front();
  ProgramOutput run = Licensectl({"sync", license.key_number()});
  EXPECT_EQ(run.status, ExitStatus::Exited(0)) << run.err;
  EXPECT_EQ(run.out, "In Sync\n");

  const int64_t ka_capacity = license.capacity() + 1000;
  ChangeCapacityAtKa(license.key_number(), ka_capacity);
  run = Licensectl({"sync", license.key_number()});
  EXPECT_EQ(run.status, ExitStatus::Exited(3)) << run.err;
  EXPECT_TRUE(Contains(run.out, absl::StrCat("  - CAPACITY_CHANGED: billing ", license.capacity(), ", KA ",
                                             ka_capacity, "\n")));
  EXPECT_TRUE(absl::StartsWith(run.out, "Not In Sync")) << run.out;

  run = Licensectl({"--json", "sync", absl::StrCat(license.license_id())});
  EXPECT_EQ(run.status, ExitStatus::Exited(3)) << "--json keeps the exit code";
  const auto synced = Parse<licensing::v1::SyncLicenseResponse>(run.out);
  EXPECT_EQ(synced.license().sync_status(), licensing::v1::SYNC_STATUS_NOT_IN_SYNC);
  ASSERT_EQ(synced.license().mismatches_size(), 1);
  EXPECT_EQ(synced.license().mismatches(0).ka_value(), absl::StrCat(ka_capacity));
}

TEST_F(LicensectlTest, HistoryListsTheSyncsNewestFirstAndPages) {
  const licensing::v1::License& license = licenses_.front();
  // The history holds the changes of result: Not In Sync, then In Sync
  // again (the first sync found what the import recorded: no entry).
  ASSERT_EQ(Licensectl({"sync", license.key_number()}).status, ExitStatus::Exited(0));
  ChangeCapacityAtKa(license.key_number(), license.capacity() + 1000);
  ASSERT_EQ(Licensectl({"sync", license.key_number()}).status, ExitStatus::Exited(3));
  ChangeCapacityAtKa(license.key_number(), license.capacity());
  ASSERT_EQ(Licensectl({"sync", license.key_number()}).status, ExitStatus::Exited(0));

  ProgramOutput run = Licensectl({"history", license.key_number()});
  EXPECT_EQ(run.status, ExitStatus::Exited(0)) << run.err;
  const std::vector<std::string> lines = Lines(run.out);
  ASSERT_EQ(lines.size(), 3u) << run.out;
  EXPECT_TRUE(absl::StartsWith(lines[0], "SYNCED AT")) << run.out;
  EXPECT_TRUE(Contains(lines[1], "In Sync"));
  EXPECT_FALSE(Contains(lines[1], "Not In Sync"));
  EXPECT_TRUE(Contains(lines[2], "Not In Sync"));
  EXPECT_TRUE(Contains(lines[2], "capacity"));

  run = Licensectl({"history", absl::StrCat(license.license_id()), "--page-size", "1"});
  EXPECT_EQ(run.status, ExitStatus::Exited(0)) << run.err;
  EXPECT_EQ(Lines(run.out).size(), 3u) << run.out;
  EXPECT_TRUE(Contains(run.out, "\nmore: --page-token "));

  run = Licensectl({"--json", "history", "--id", absl::StrCat(license.license_id()), "--all", "--page-size", "1"});
  EXPECT_EQ(run.status, ExitStatus::Exited(0)) << run.err;
  const auto history = Parse<licensing::v1::ListSyncHistoryResponse>(run.out);
  ASSERT_GE(history.entries_size(), 2);
  EXPECT_EQ(history.entries(0).sync_status(), licensing::v1::SYNC_STATUS_IN_SYNC);
  EXPECT_EQ(history.entries(1).sync_status(), licensing::v1::SYNC_STATUS_NOT_IN_SYNC);
  EXPECT_TRUE(history.next_page_token().empty());
}

TEST_F(LicensectlTest, SyncAllPrintsPlainProgressLinesAndTheSummary) {
  ChangeCapacityAtKa(licenses_[3].key_number(), licenses_[3].capacity() + 1000);
  // Slow enough for a job of a few seconds: several progress lines to check.
  SetKaFaults(400, false);
  const ProgramOutput run = Licensectl({"sync-all"});
  EXPECT_EQ(run.status, ExitStatus::Exited(3)) << run.out << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_FALSE(absl::StrContains(run.out, "\r")) << "not a terminal: no bar";

  const std::vector<std::string> lines = Lines(run.out);
  ASSERT_GE(lines.size(), 4u) << run.out;
  EXPECT_TRUE(std::regex_match(lines[0], std::regex("Job job-[0-9a-f]+: following its progress .*"))) << lines[0];
  const std::regex progress_line(
      R"((\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC  (RUNNING|SUCCEEDED)  \d+/30 \(\d+%\)  )"
      R"(in sync \d+  not in sync \d+  errors \d+  skipped \d+.*)");
  std::vector<std::string> running_times;
  for (size_t i = 1; i + 2 < lines.size(); ++i) {
    std::smatch match;
    ASSERT_TRUE(std::regex_match(lines[i], match, progress_line)) << lines[i];
    if (match[2] == "RUNNING") running_times.push_back(match[1]);
  }
  // At most one line a second (the server sends ten): no two in the same
  // second, and more than the first.
  ASSERT_GE(running_times.size(), 2u) << run.out;
  for (size_t i = 1; i < running_times.size(); ++i) EXPECT_NE(running_times[i], running_times[i - 1]) << run.out;
  // After the event's time ("2026-01-15 10:20:30 UTC  ").
  EXPECT_TRUE(
      absl::StartsWith(lines[lines.size() - 3].substr(25), "SUCCEEDED  30/30 (100%)  in sync 29  not in sync 1"))
      << run.out;
  EXPECT_TRUE(std::regex_match(lines[lines.size() - 2],
                               std::regex("Job job-[0-9a-f]+ SUCCEEDED: 30 of 30 licenses processed: 29 in sync, "
                                          "1 not in sync, 0 errors, 0 skipped\\.")))
      << run.out;
  EXPECT_EQ(lines.back(), "Not In Sync licenses: licensectl list --status not-in-sync");
}

TEST_F(LicensectlTest, SyncAllJsonIsOneSyncAllResponsePerLine) {
  const ProgramOutput run = Licensectl({"--json", "sync-all", "--state", "active"});
  EXPECT_EQ(run.status, ExitStatus::Exited(0)) << run.out << run.err;
  EXPECT_EQ(run.err, "");
  const std::vector<std::string> lines = Lines(run.out);
  ASSERT_FALSE(lines.empty());
  std::string job_id;
  for (const std::string& line : lines) {
    const auto event = Parse<licensing::v1::SyncAllResponse>(line);
    if (job_id.empty()) job_id = event.progress().job_id();
    EXPECT_EQ(event.progress().job_id(), job_id);
    EXPECT_EQ(event.progress().total(), kLicenses);
  }
  const auto last = Parse<licensing::v1::SyncAllResponse>(lines.back()).progress();
  EXPECT_EQ(last.state(), licensing::v1::SYNC_JOB_STATE_SUCCEEDED);
  EXPECT_EQ(last.processed(), kLicenses);
  EXPECT_EQ(last.in_sync(), kLicenses);
  EXPECT_EQ(GetJob(job_id).scope().state(), licensing::v1::LICENSE_STATE_ACTIVE);
}

TEST_F(LicensectlTest, JobsListsTheJobsAndWatchShowsAFinishedOne) {
  ProgramOutput run = Licensectl({"jobs"});
  EXPECT_EQ(run.status, ExitStatus::Exited(0)) << run.err;
  EXPECT_EQ(run.out, "No sync jobs found.\n");

  const ProgramOutput sync_all = Licensectl({"--json", "sync-all"});
  ASSERT_EQ(sync_all.status, ExitStatus::Exited(0)) << sync_all.err;
  const std::string job_id =
      Parse<licensing::v1::SyncAllResponse>(Lines(sync_all.out).back()).progress().job_id();

  run = Licensectl({"jobs"});
  EXPECT_EQ(run.status, ExitStatus::Exited(0)) << run.err;
  ASSERT_EQ(Lines(run.out).size(), 2u) << run.out;
  EXPECT_TRUE(absl::StartsWith(run.out, "JOB ID")) << run.out;
  EXPECT_TRUE(std::regex_search(Lines(run.out)[1],
                                std::regex(job_id + "  SUCCEEDED  state=active  \\S+ +30 +30 +30 +0 +0 +0  \\d{4}-")))
      << run.out;

  run = Licensectl({"--json", "jobs", "--state", "succeeded"});
  EXPECT_EQ(run.status, ExitStatus::Exited(0)) << run.err;
  const auto jobs = Parse<licensing::v1::ListSyncJobsResponse>(run.out);
  ASSERT_EQ(jobs.jobs_size(), 1);
  EXPECT_EQ(jobs.jobs(0).job_id(), job_id);
  EXPECT_EQ(Licensectl({"jobs", "--state", "running"}).out, "No sync jobs found.\n");

  // A job that ended: its final state at once.
  run = Licensectl({"watch", job_id});
  EXPECT_EQ(run.status, ExitStatus::Exited(0)) << run.err;
  EXPECT_TRUE(Contains(run.out, absl::StrCat("Job ", job_id, " SUCCEEDED: 30 of 30 licenses processed: 30 in sync")));
  run = Licensectl({"--json", "watch", job_id});
  ASSERT_EQ(Lines(run.out).size(), 1u) << run.out;
  EXPECT_EQ(Parse<licensing::v1::WatchSyncJobResponse>(run.out).progress().processed(), kLicenses);
}

TEST_F(LicensectlTest, WatchFollowsARunningJobToItsEnd) {
  SetKaOutage(true);
  std::unique_ptr<harness::ChildProcess> sync_all = StartLicensectl({"sync-all"});
  ASSERT_NE(sync_all, nullptr);
  const std::string job_id = WaitForFollowedJob(*sync_all);
  ASSERT_FALSE(job_id.empty()) << sync_all->LogTail(20);

  std::unique_ptr<harness::ChildProcess> watch = StartLicensectl({"--json", "watch", job_id});
  ASSERT_NE(watch, nullptr);
  // The watcher has its first event: the job, still held by the outage.
  ASSERT_TRUE(WaitFor([&] { return absl::StrContains(watch->LogTail(5), "SYNC_JOB_STATE_RUNNING"); },
                      absl::Seconds(60)))
      << watch->LogTail(20);
  SetKaOutage(false);

  absl::StatusOr<ExitStatus> watched = watch->WaitForExit(absl::Seconds(120));
  ASSERT_TRUE(watched.ok()) << watched.status();
  EXPECT_EQ(*watched, ExitStatus::Exited(0)) << watch->LogTail(20);
  std::vector<std::string> events;
  for (const std::string& line : Lines(watch->LogTail(10000))) {
    if (absl::StartsWith(line, "{")) events.push_back(line);
  }
  ASSERT_GE(events.size(), 2u);
  const auto first = Parse<licensing::v1::WatchSyncJobResponse>(events.front()).progress();
  const auto last = Parse<licensing::v1::WatchSyncJobResponse>(events.back()).progress();
  EXPECT_EQ(first.state(), licensing::v1::SYNC_JOB_STATE_RUNNING);
  EXPECT_EQ(last.job_id(), job_id);
  EXPECT_EQ(last.state(), licensing::v1::SYNC_JOB_STATE_SUCCEEDED);
  EXPECT_EQ(last.in_sync(), kLicenses);

  absl::StatusOr<ExitStatus> synced = sync_all->WaitForExit(absl::Seconds(120));
  ASSERT_TRUE(synced.ok()) << synced.status();
  EXPECT_EQ(*synced, ExitStatus::Exited(0)) << sync_all->LogTail(20);
}

TEST_F(LicensectlTest, CancelStopsTheRunningJobAndItsFollowerExits1) {
  ProgramOutput run = Licensectl({"sync-all", "--cancel"});
  EXPECT_EQ(run.status, ExitStatus::Exited(0)) << run.err;
  EXPECT_EQ(run.out, "No SyncAll job is running; nothing to cancel.\n");

  SetKaOutage(true);
  std::unique_ptr<harness::ChildProcess> sync_all = StartLicensectl({"sync-all"});
  ASSERT_NE(sync_all, nullptr);
  const std::string job_id = WaitForFollowedJob(*sync_all);
  ASSERT_FALSE(job_id.empty()) << sync_all->LogTail(20);

  run = Licensectl({"sync-all", "--cancel"});
  EXPECT_EQ(run.status, ExitStatus::Exited(0)) << run.err;
  EXPECT_TRUE(absl::StartsWith(run.out, absl::StrCat("Job ", job_id, " CANCELLED: "))) << run.out;
  EXPECT_EQ(GetJob(job_id).state(), licensing::v1::SYNC_JOB_STATE_CANCELLED);

  absl::StatusOr<ExitStatus> followed = sync_all->WaitForExit(absl::Seconds(60));
  ASSERT_TRUE(followed.ok()) << followed.status();
  EXPECT_EQ(*followed, ExitStatus::Exited(1)) << sync_all->LogTail(20);
  EXPECT_TRUE(Contains(sync_all->LogTail(5), absl::StrCat("Job ", job_id, " CANCELLED: ")));
}

TEST_F(LicensectlTest, CtrlCDetachesAndTheJobCompletes) {
  SetKaOutage(true);
  std::unique_ptr<harness::ChildProcess> sync_all = StartLicensectl({"sync-all"});
  ASSERT_NE(sync_all, nullptr);
  const std::string job_id = WaitForFollowedJob(*sync_all);
  ASSERT_FALSE(job_id.empty()) << sync_all->LogTail(20);

  ASSERT_EQ(kill(sync_all->pid(), SIGINT), 0);
  absl::StatusOr<ExitStatus> detached = sync_all->WaitForExit(absl::Seconds(30));
  ASSERT_TRUE(detached.ok()) << detached.status();
  EXPECT_EQ(*detached, ExitStatus::Exited(130)) << sync_all->LogTail(20);
  EXPECT_TRUE(Contains(sync_all->LogTail(5), absl::StrCat("detached; job ", job_id, " keeps running; follow it with: ",
                                                          "licensectl watch ", job_id)));
  EXPECT_EQ(GetJob(job_id).state(), licensing::v1::SYNC_JOB_STATE_RUNNING) << "detaching does not cancel";

  SetKaOutage(false);
  EXPECT_TRUE(WaitFor([&] { return GetJob(job_id).state() == licensing::v1::SYNC_JOB_STATE_SUCCEEDED; },
                      absl::Seconds(120)));
  EXPECT_EQ(GetJob(job_id).progress().processed(), kLicenses);
}

TEST_F(LicensectlTest, DailyRunsMayBeNoneYet) {
  ProgramOutput run = Licensectl({"daily-runs"});
  EXPECT_EQ(run.status, ExitStatus::Exited(0)) << run.err;
  EXPECT_EQ(run.out, "No daily runs found.\n");
  run = Licensectl({"daily-runs", "--json"});
  EXPECT_EQ(run.status, ExitStatus::Exited(0)) << run.err;
  EXPECT_EQ(Parse<licensing::v1::ListDailyRunsResponse>(run.out).daily_runs_size(), 0);
}

TEST_F(LicensectlTest, BadArgumentsExit2WithTheUsage) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"list", "--page-size", "-1"}, {"history"}, {"watch"}, {"jobs", "--state", "x"},
        {"sync-all", "--status", "sideways"}, {"daily-runs", "--page-size", "many"}, {"frobnicate"}}) {
    const ProgramOutput run = Licensectl(args);
    EXPECT_EQ(run.status, ExitStatus::Exited(2)) << args[0] << ": " << run.err;
    EXPECT_TRUE(Contains(run.err, "Usage: licensectl"));
    EXPECT_EQ(run.out, "");
  }
}

TEST_F(LicensectlTest, AnUnreachableServerExits1WithAHint) {
  absl::StatusOr<int> port = harness::PickFreeLoopbackPort();
  ASSERT_TRUE(port.ok()) << port.status();
  const std::string address = absl::StrCat("127.0.0.1:", *port);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"list"}, {"sync-all"}, {"watch", "job-1"}, {"jobs"}, {"daily-runs"}}) {
    std::vector<std::string> full = {"--address", address, "--timeout", "5"};
    full.insert(full.end(), args.begin(), args.end());
    const ProgramOutput run = LicensectlAsIs(full);
    EXPECT_EQ(run.status, ExitStatus::Exited(1)) << args[0] << ": " << run.err;
    EXPECT_TRUE(Contains(run.err, "error: UNAVAILABLE"));
    EXPECT_TRUE(Contains(run.err, absl::StrCat("hint: is license-server running at ", address)));
  }
}

TEST_F(LicensectlTest, EveryCommandHasHelp) {
  for (const char* command : {"list", "get", "sync", "history", "jobs", "watch", "sync-all", "daily-runs"}) {
    const ProgramOutput run = LicensectlAsIs({command, "--help"});
    EXPECT_EQ(run.status, ExitStatus::Exited(0)) << command;
    EXPECT_TRUE(absl::StartsWith(run.out, absl::StrCat("Usage: licensectl ", command))) << run.out;
  }
  const ProgramOutput run = LicensectlAsIs({"--help"});
  EXPECT_TRUE(Contains(run.out, "130  sync-all, watch: Ctrl-C detached"));
}

// licensectl against a server that wants tokens: the token read from a
// token file, by --token-file or LICENSECTL_TOKEN_FILE, is the one the
// server checks, and a token file others may read sends nothing.
constexpr char kOperatorToken[] = "licensectl-operator-token-5150";
// As the server's token file lists it: printf %s TOKEN | sha256sum.
constexpr char kOperatorTokenSha256[] = "336b6d2b5c2c5a59b3498219a306c62e70bbeb656df07db7ecaa76ff76f28e65";
constexpr int kTokenTestLicenses = 5;

class LicensectlTokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<IntegrationStack>> stack =
        IntegrationStack::Start("licensectl-token", kTokenTestLicenses);
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
    const std::string server_tokens = absl::StrCat(stack_->path(), "/server-tokens");
    std::ofstream(server_tokens) << kOperatorTokenSha256 << " ops-bot operator\n";
    harness::LicenseServerOptions options = stack_->server_options();
    options.extra_args.push_back(absl::StrCat("--auth_tokens_file=", server_tokens));
    absl::StatusOr<std::unique_ptr<LicenseServerProcess>> server = LicenseServerProcess::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);

    auto stub = LicenseService::NewStub(server_->NewChannel());
    licensing::v1::ImportLicensesResponse imported;
    ASSERT_TRUE(stub->ImportLicenses(AsOperator().get(), {}, &imported).ok());
    ASSERT_EQ(imported.imported(), kTokenTestLicenses);
    licensing::v1::ListLicensesResponse all;
    ASSERT_TRUE(stub->ListLicenses(AsOperator().get(), {}, &all).ok());
    ASSERT_FALSE(all.licenses().empty());
    license_ = all.licenses(0);

    token_file_ = absl::StrCat(stack_->path(), "/licensectl-token");
    std::ofstream(token_file_) << kOperatorToken << "\n";
    ASSERT_EQ(chmod(token_file_.c_str(), 0600), 0);
  }

  static std::unique_ptr<grpc::ClientContext> AsOperator() {
    auto context = Context();
    context->AddMetadata("authorization", absl::StrCat("Bearer ", kOperatorToken));
    return context;
  }

  // licensectl --address <the server> `args` with `env`, to completion.
  ProgramOutput Licensectl(std::vector<std::string> args, std::vector<std::pair<std::string, std::string>> env = {}) {
    args.insert(args.begin(), {"--address", server_->address()});
    absl::StatusOr<ProgramOutput> run = harness::RunProgram(
        {.binary = LICENSECTL_PATH, .args = std::move(args), .env = std::move(env), .timeout = absl::Seconds(120)});
    EXPECT_TRUE(run.ok()) << run.status();
    return run.ok() ? *std::move(run) : ProgramOutput{ExitStatus::Exited(-1), "", ""};
  }

  std::unique_ptr<IntegrationStack> stack_;
  std::unique_ptr<LicenseServerProcess> server_;
  std::string token_file_;
  licensing::v1::License license_;
};

TEST_F(LicensectlTokenTest, TheTokenFromATokenFileIsTheOneTheServerChecks) {
  ProgramOutput run = Licensectl({"--token-file", token_file_, "list"});
  EXPECT_EQ(run.status, ExitStatus::Exited(0)) << run.err;
  EXPECT_EQ(Lines(run.out).size(), 1u + kTokenTestLicenses) << run.out;

  EXPECT_TRUE(Contains(run.out, license_.key_number()));

  // The operator's role: a sync is let through.
  run = Licensectl({"sync", absl::StrCat(license_.license_id())}, {{"LICENSECTL_TOKEN_FILE", token_file_}});
  EXPECT_EQ(run.status, ExitStatus::Exited(0)) << run.err;
  EXPECT_EQ(run.out, "In Sync\n");

  run = Licensectl({"list"});
  EXPECT_EQ(run.status, ExitStatus::Exited(1));
  EXPECT_TRUE(Contains(run.err, "error: UNAUTHENTICATED"));
  EXPECT_TRUE(Contains(run.err, "hint: no token was sent: --token-file FILE"));
}

TEST_F(LicensectlTokenTest, ATokenFileOthersMayReadSendsNothingAndExits2) {
  ASSERT_EQ(chmod(token_file_.c_str(), 0644), 0);
  const ProgramOutput run = Licensectl({"--token-file", token_file_, "list"});
  EXPECT_EQ(run.status, ExitStatus::Exited(2)) << run.err;
  EXPECT_TRUE(Contains(run.err, absl::StrCat("token file ", token_file_, " may be read or written by others (mode 0644)")));
  EXPECT_FALSE(absl::StrContains(run.err, kOperatorToken));
  EXPECT_EQ(run.out, "");
}

}  // namespace
}  // namespace lss
