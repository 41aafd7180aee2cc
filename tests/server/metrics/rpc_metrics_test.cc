// What the interceptors' reports of finished calls become in a scrape.
#include "server/metrics/rpc_metrics.h"

#include <gtest/gtest.h>

#include "licensing/v1/license_service.pb.h"
#include "tests/server/metrics/exposition_lines.h"

namespace lss {
namespace {

using testing::SampleValue;

FinishedCall Call(absl::string_view method, grpc::StatusCode code, absl::Duration elapsed) {
  FinishedCall call;
  call.method = method;
  call.code = code;
  call.elapsed = elapsed;
  return call;
}

TEST(RpcMetricsTest, CountsByMethodAndCodeAndTimesByMethod) {
  metrics::MetricRegistry registry;
  RpcMetrics rpc(registry, {"GetLicense", "SyncLicense"});
  rpc.OnCallFinished(Call("SyncLicense", grpc::StatusCode::OK, absl::Milliseconds(3)));
  rpc.OnCallFinished(Call("SyncLicense", grpc::StatusCode::OK, absl::Milliseconds(40)));
  rpc.OnCallFinished(Call("GetLicense", grpc::StatusCode::NOT_FOUND, absl::Microseconds(500)));

  const std::string text = registry.Render();
  EXPECT_EQ(SampleValue(text, R"(lss_rpc_calls_total{method="SyncLicense",code="OK"})"), 2);
  EXPECT_EQ(SampleValue(text, R"(lss_rpc_calls_total{method="GetLicense",code="NOT_FOUND"})"), 1);
  EXPECT_EQ(SampleValue(text, R"(lss_rpc_calls_total{method="GetLicense",code="OK"})"), absl::nullopt);
  EXPECT_EQ(SampleValue(text, R"(lss_rpc_duration_seconds_bucket{method="SyncLicense",le="0.0025"})"), 0);
  EXPECT_EQ(SampleValue(text, R"(lss_rpc_duration_seconds_bucket{method="SyncLicense",le="0.005"})"), 1);
  EXPECT_EQ(SampleValue(text, R"(lss_rpc_duration_seconds_bucket{method="SyncLicense",le="0.05"})"), 2);
  EXPECT_EQ(SampleValue(text, R"(lss_rpc_duration_seconds_count{method="SyncLicense"})"), 2);
  EXPECT_NEAR(*SampleValue(text, R"(lss_rpc_duration_seconds_sum{method="SyncLicense"})"), 0.043, 1e-9);
  EXPECT_EQ(SampleValue(text, R"(lss_rpc_duration_seconds_count{method="GetLicense"})"), 1);
}

TEST(RpcMetricsTest, KnownMethodsAreTimedAtZeroBeforeAnyCall) {
  metrics::MetricRegistry registry;
  RpcMetrics rpc(registry, {"GetLicense", "SyncLicense"});
  const std::string text = registry.Render();
  EXPECT_EQ(SampleValue(text, R"(lss_rpc_duration_seconds_count{method="GetLicense"})"), 0);
  EXPECT_EQ(SampleValue(text, R"(lss_rpc_duration_seconds_count{method="SyncLicense"})"), 0);
}

TEST(RpcMetricsTest, AMethodNotNamedIsCountedAsUnknown) {
  metrics::MetricRegistry registry;
  RpcMetrics rpc(registry, {"GetLicense"});
  rpc.OnCallFinished(Call("MadeUpByACaller", grpc::StatusCode::UNIMPLEMENTED, absl::Milliseconds(1)));
  const std::string text = registry.Render();
  EXPECT_EQ(SampleValue(text, R"(lss_rpc_calls_total{method="unknown",code="UNIMPLEMENTED"})"), 1);
  EXPECT_EQ(text.find("MadeUpByACaller"), std::string::npos);
}

TEST(RpcMetricsTest, MethodsOfServiceReadsTheGeneratedDescriptor) {
  // Links license_service.pb.cc, whose descriptor the lookup reads (the
  // server links it through its handlers).
  ASSERT_NE(licensing::v1::GetLicenseRequest::descriptor(), nullptr);
  const std::vector<std::string> methods = MethodsOfService("licensing.v1.LicenseService");
  for (const char* method : {"GetLicense", "SyncLicense", "SyncAll", "WatchSyncJob", "PlaceUpgradeOrder"}) {
    EXPECT_NE(std::find(methods.begin(), methods.end(), method), methods.end()) << method;
  }
  EXPECT_TRUE(MethodsOfService("no.such.Service").empty());
}

}  // namespace
}  // namespace lss
