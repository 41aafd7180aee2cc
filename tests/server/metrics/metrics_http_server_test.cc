// The /metrics endpoint over real loopback HTTP: what a Prometheus server
// sees when it scrapes, and what anything else gets.
#include "server/metrics/metrics_http_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "server/metrics/metric_registry.h"
#include "tests/harness/http_get.h"

namespace lss::metrics {
namespace {

using harness::HttpGet;
using harness::HttpRequest;
using harness::HttpResponse;

// One server for the suite, as a Prometheus server sees it over time.
class MetricsHttpServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    registry_ = new MetricRegistry;
    calls_ = &registry_->AddCounter("test_calls_total", "Calls.", {"test"});
    absl::StatusOr<std::unique_ptr<MetricsHttpServer>> server =
        MetricsHttpServer::Start("127.0.0.1:0", [] { return registry_->Render(); });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    ASSERT_GT(server_->port(), 0);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete registry_;
  }

  static HttpResponse Call(absl::string_view method, absl::string_view path) {
    absl::StatusOr<HttpResponse> response = HttpRequest(method, "127.0.0.1", server_->port(), path);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : HttpResponse{};
  }

  // This test's own series, so that tests sharing the registry do not meet.
  static Counter& Calls() {
    return calls_->WithLabels({::testing::UnitTest::GetInstance()->current_test_info()->name()});
  }
  static std::string Line(uint64_t value) {
    return absl::StrCat("test_calls_total{test=\"", ::testing::UnitTest::GetInstance()->current_test_info()->name(),
                        "\"} ", value, "\n");
  }

  static inline MetricRegistry* registry_ = nullptr;
  static inline MetricFamily<Counter>* calls_ = nullptr;
  static inline MetricsHttpServer* server_ = nullptr;
};

TEST_F(MetricsHttpServerTest, GetMetricsAnswersTheRegistryAsTextFormat004) {
  Calls().Increment(2);
  const HttpResponse response = Call("GET", "/metrics");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.Header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(response.body, registry_->Render());
  EXPECT_NE(response.body.find(Line(2)), std::string::npos) << response.body;
}

TEST_F(MetricsHttpServerTest, EachScrapeSeesTheValuesOfItsTime) {
  Calls();
  EXPECT_NE(Call("GET", "/metrics").body.find(Line(0)), std::string::npos);
  Calls().Increment();
  EXPECT_NE(Call("GET", "/metrics").body.find(Line(1)), std::string::npos);
}

TEST_F(MetricsHttpServerTest, AQueryStringIsIgnored) { EXPECT_EQ(Call("GET", "/metrics?name[]=x").status, 200); }

TEST_F(MetricsHttpServerTest, HeadAnswersTheHeadersAlone) {
  const HttpResponse response = Call("HEAD", "/metrics");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "");
}

TEST_F(MetricsHttpServerTest, AnyOtherPathIsNotFound) {
  for (absl::string_view path : {"/", "/metrics/", "/metricsx", "/favicon.ico", "/../etc/passwd"}) {
    const HttpResponse response = Call("GET", path);
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_EQ(response.body.find("# TYPE"), std::string::npos) << path;
  }
}

TEST_F(MetricsHttpServerTest, AnyOtherMethodIsNotAllowed) {
  const HttpResponse response = Call("POST", "/metrics");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.Header("Allow"), "GET, HEAD");
}

TEST_F(MetricsHttpServerTest, ATakenPortIsUnavailable) {
  absl::StatusOr<std::unique_ptr<MetricsHttpServer>> second =
      MetricsHttpServer::Start(absl::StrCat("127.0.0.1:", server_->port()), [] { return std::string(); });
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable) << second.status();
}

TEST(MetricsHttpServerStopTest, StoppedServerNoLongerAnswers) {
  absl::StatusOr<std::unique_ptr<MetricsHttpServer>> server =
      MetricsHttpServer::Start("localhost:0", [] { return std::string("x 1\n"); });
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  absl::StatusOr<HttpResponse> served = HttpGet("127.0.0.1", port, "/metrics");
  ASSERT_TRUE(served.ok()) << served.status();
  EXPECT_EQ(served->body, "x 1\n");
  server->reset();
  EXPECT_EQ(HttpGet("127.0.0.1", port, "/metrics").status().code(), absl::StatusCode::kUnavailable);
}

TEST(ListeningPortsOptionTest, TakesIpv4OrLocalhostAndAPort) {
  EXPECT_EQ(*ListeningPortsOption("127.0.0.1:0"), "127.0.0.1:0");
  EXPECT_EQ(*ListeningPortsOption("0.0.0.0:9090"), "0.0.0.0:9090");
  EXPECT_EQ(*ListeningPortsOption("localhost:9090"), "127.0.0.1:9090");
}

TEST(ListeningPortsOptionTest, RefusesWhatCivetwebWouldReadOtherwise) {
  for (absl::string_view address :
       {"", "127.0.0.1", "9090", ":9090", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:0s",
        "127.0.0.1:80r", "127.0.0.1:80,127.0.0.1:81", "[::1]:9090", "example.com:9090", "127.0.0.1:+80"}) {
    absl::StatusOr<std::string> option = ListeningPortsOption(address);
    EXPECT_EQ(option.status().code(), absl::StatusCode::kInvalidArgument) << address;
  }
}

}  // namespace
}  // namespace lss::metrics
