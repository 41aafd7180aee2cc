// Metrics end to end: license-server started with
// --metrics_address=127.0.0.1:0 and scraped over HTTP as Prometheus would,
// on the backend this executable was built for. Each metric must move by
// exactly what the test did: an RPC's counter and histogram, the KA call it
// made, a SyncAll's job and license counts.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "keyadmin/v1/key_administrator_admin.grpc.pb.h"
#include "licensing/v1/license_service.grpc.pb.h"
#include "tests/harness/harness.h"
#include "tests/harness/http_get.h"
#include "tests/integration/integration_stack.h"

namespace lss {
namespace {

using harness::HttpGet;
using harness::HttpResponse;
using harness::LicenseServerProcess;
using harness::WaitFor;
using keyadmin::v1::KeyAdministratorAdminService;
using licensing::v1::LicenseService;

constexpr int kSeedKeys = 12;
constexpr absl::Duration kMetricsWait = absl::Seconds(20);

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  return context;
}

// The value of the sample written exactly as `series`; 0 when the scrape
// has none (a series appears with its first event).
double Sample(const std::string& scrape, absl::string_view series) {
  for (absl::string_view line : absl::StrSplit(scrape, '\n')) {
    if (line.size() > series.size() && line.substr(0, series.size()) == series && line[series.size()] == ' ') {
      double value = 0;
      EXPECT_TRUE(absl::SimpleAtod(line.substr(series.size() + 1), &value)) << line;
      return value;
    }
  }
  return 0;
}

// The port of the server's {"event":"metrics_listening","port":N,...} line.
int MetricsPortFromLog(const std::string& log_path) {
  std::ifstream log(log_path);
  std::string line;
  while (std::getline(log, line)) {
    if (line.find("\"event\":\"metrics_listening\"") == std::string::npos) continue;
    const size_t at = line.find("\"port\":");
    if (at == std::string::npos) continue;
    int port = 0;
    const std::string digits = line.substr(at + 7, line.find_first_not_of("0123456789", at + 7) - (at + 7));
    if (absl::SimpleAtoi(digits, &port)) return port;
  }
  return 0;
}

class MetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<IntegrationStack>> stack = IntegrationStack::Start("metrics", kSeedKeys);
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
    harness::LicenseServerOptions options = stack_->server_options();
    options.extra_args = {"--metrics_address=127.0.0.1:0", "--sync-poll-interval=100ms", "--progress-interval=100ms",
                          "--sync-chunk-size=5", "--ka-page-size=5"};
    absl::StatusOr<std::unique_ptr<LicenseServerProcess>> server = LicenseServerProcess::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    stub_ = LicenseService::NewStub(server_->NewChannel());
    ka_admin_ = KeyAdministratorAdminService::NewStub(stack_->ka().NewChannel());
    // Logged before the port file the harness waited for.
    metrics_port_ = MetricsPortFromLog(server_->process().log_path());
    ASSERT_GT(metrics_port_, 0) << server_->LogTail(20);
    licensing::v1::ImportLicensesResponse imported;
    ASSERT_TRUE(stub_->ImportLicenses(Context().get(), {}, &imported).ok());
    ASSERT_EQ(imported.imported(), kSeedKeys);
  }

  std::string Scrape() {
    absl::StatusOr<HttpResponse> response = HttpGet("127.0.0.1", metrics_port_, "/metrics");
    EXPECT_TRUE(response.ok()) << response.status();
    if (!response.ok()) return "";
    EXPECT_EQ(response->status, 200);
    return response->body;
  }

  // Scrapes until `series` has grown by at least `delta` since `before`
  // (the call's status may reach the client a moment before its metrics
  // are recorded); returns that scrape.
  std::string ScrapeOnceMoved(const std::string& before, absl::string_view series, double delta) {
    std::string after;
    WaitFor(
        [&] {
          after = Scrape();
          return Sample(after, series) - Sample(before, series) >= delta;
        },
        kMetricsWait, absl::Milliseconds(50));
    return after;
  }

  std::unique_ptr<IntegrationStack> stack_;
  std::unique_ptr<LicenseServerProcess> server_;
  std::unique_ptr<LicenseService::Stub> stub_;
  std::unique_ptr<KeyAdministratorAdminService::Stub> ka_admin_;
  int metrics_port_ = 0;
};

TEST_F(MetricsTest, ServesTextFormatAtMetricsOnly) {
  absl::StatusOr<HttpResponse> metrics = HttpGet("127.0.0.1", metrics_port_, "/metrics");
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  EXPECT_EQ(metrics->status, 200);
  EXPECT_EQ(metrics->Header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  for (const char* type : {"# TYPE lss_rpc_calls_total counter", "# TYPE lss_rpc_duration_seconds histogram",
                           "# TYPE lss_ka_calls_total counter", "# TYPE lss_ka_call_duration_seconds histogram",
                           "# TYPE lss_sync_jobs_started_total counter", "# TYPE lss_sync_jobs_finished_total counter",
                           "# TYPE lss_sync_licenses_total counter", "# TYPE lss_sync_job_duration_seconds histogram",
                           "# TYPE lss_sync_watchers gauge", "# TYPE process_start_time_seconds gauge"}) {
    EXPECT_NE(metrics->body.find(type), std::string::npos) << type;
  }
  // Every method of the service has its latency series from the start.
  EXPECT_NE(metrics->body.find("lss_rpc_duration_seconds_count{method=\"PlaceUpgradeOrder\"} 0\n"), std::string::npos);

  absl::StatusOr<HttpResponse> elsewhere = HttpGet("127.0.0.1", metrics_port_, "/");
  ASSERT_TRUE(elsewhere.ok()) << elsewhere.status();
  EXPECT_EQ(elsewhere->status, 404);
}

TEST_F(MetricsTest, EachRpcMovesItsCounterAndHistogramAndTheKaCallsItMade) {
  const std::string before = Scrape();

  licensing::v1::GetLicenseRequest missing;
  missing.set_license_id(999999);
  licensing::v1::GetLicenseResponse got;
  ASSERT_EQ(stub_->GetLicense(Context().get(), missing, &got).error_code(), grpc::StatusCode::NOT_FOUND);
  licensing::v1::SyncLicenseRequest sync;
  sync.set_license_id(1);
  licensing::v1::SyncLicenseResponse synced;
  const grpc::Status sync_status = stub_->SyncLicense(Context().get(), sync, &synced);
  ASSERT_TRUE(sync_status.ok()) << sync_status.error_message();

  const std::string after = ScrapeOnceMoved(before, R"(lss_rpc_calls_total{method="SyncLicense",code="OK"})", 1);
  const auto moved = [&](absl::string_view series) { return Sample(after, series) - Sample(before, series); };
  EXPECT_EQ(moved(R"(lss_rpc_calls_total{method="SyncLicense",code="OK"})"), 1);
  EXPECT_EQ(moved(R"(lss_rpc_calls_total{method="GetLicense",code="NOT_FOUND"})"), 1);
  EXPECT_EQ(moved(R"(lss_rpc_calls_total{method="GetLicense",code="OK"})"), 0);
  EXPECT_EQ(moved(R"(lss_rpc_duration_seconds_count{method="SyncLicense"})"), 1);
  EXPECT_EQ(moved(R"(lss_rpc_duration_seconds_bucket{method="SyncLicense",le="+Inf"})"), 1);
  EXPECT_GT(moved(R"(lss_rpc_duration_seconds_sum{method="SyncLicense"})"), 0);
  EXPECT_EQ(moved(R"(lss_rpc_duration_seconds_count{method="GetLicense"})"), 1);
  // SyncLicense asks KA about its key once; GetLicense never asks KA.
  EXPECT_EQ(moved(R"(lss_ka_calls_total{method="GetKeyInfo",outcome="OK"})"), 1);
  EXPECT_EQ(moved(R"(lss_ka_call_duration_seconds_count{method="GetKeyInfo"})"), 1);
}

TEST_F(MetricsTest, ASyncAllCountsItsJobAndLicensesAsTheJobDoes) {
  // One key drifts at KA, so that the job finds a Not In Sync license.
  licensing::v1::GetLicenseRequest second;
  second.set_license_id(2);
  licensing::v1::GetLicenseResponse license;
  ASSERT_TRUE(stub_->GetLicense(Context().get(), second, &license).ok());
  keyadmin::v1::ChangeKeyRequest change;
  change.set_key_number(license.license().key_number());
  change.set_regenerate(true);
  keyadmin::v1::ChangeKeyResponse changed;
  ASSERT_TRUE(ka_admin_->ChangeKey(Context().get(), change, &changed).ok());

  const std::string before = Scrape();
  auto context = Context();
  std::unique_ptr<grpc::ClientReader<licensing::v1::SyncAllResponse>> stream =
      stub_->SyncAll(context.get(), licensing::v1::SyncAllRequest());
  licensing::v1::SyncAllResponse response;
  licensing::v1::SyncProgress last;
  while (stream->Read(&response)) last = response.progress();
  const grpc::Status status = stream->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(last.state(), licensing::v1::SYNC_JOB_STATE_SUCCEEDED);
  ASSERT_EQ(last.processed(), kSeedKeys);
  ASSERT_GE(last.not_in_sync(), 1);

  const std::string after = ScrapeOnceMoved(before, R"(lss_rpc_calls_total{method="SyncAll",code="OK"})", 1);
  const auto moved = [&](absl::string_view series) { return Sample(after, series) - Sample(before, series); };
  EXPECT_EQ(moved("lss_sync_jobs_started_total"), 1);
  EXPECT_EQ(moved(R"(lss_sync_jobs_finished_total{state="succeeded"})"), 1);
  EXPECT_EQ(moved(R"(lss_sync_jobs_finished_total{state="cancelled"})"), 0);
  EXPECT_EQ(moved(R"(lss_sync_licenses_total{outcome="in_sync"})"), last.in_sync());
  EXPECT_EQ(moved(R"(lss_sync_licenses_total{outcome="not_in_sync"})"), last.not_in_sync());
  EXPECT_EQ(moved(R"(lss_sync_licenses_total{outcome="error"})"), last.errors());
  EXPECT_EQ(moved(R"(lss_sync_licenses_total{outcome="skipped"})"), last.skipped());
  EXPECT_EQ(moved("lss_sync_job_duration_seconds_count"), 1);
  EXPECT_EQ(moved(R"(lss_rpc_calls_total{method="SyncAll",code="OK"})"), 1);
  EXPECT_EQ(moved(R"(lss_rpc_duration_seconds_count{method="SyncAll"})"), 1);
  // A bulk SyncAll reads KA's account in ListKeys pages.
  EXPECT_GE(moved(R"(lss_ka_calls_total{method="ListKeys",outcome="OK"})"), 1);
  // The stream has ended: nobody watches a running job any more.
  EXPECT_EQ(Sample(after, "lss_sync_watchers"), 0);
}

}  // namespace
}  // namespace lss
