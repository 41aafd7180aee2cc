// The text exposition format 0.0.4, byte for byte: what a Prometheus
// server parses. Golden texts, so that a change of format shows here first.
#include "server/metrics/metric_registry.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "server/metrics/metric_names.h"
#include "server/metrics/text_format.h"

namespace lss::metrics {
namespace {

TEST(MetricRegistryTest, CounterWithLabelsInLabelValueOrder) {
  MetricRegistry registry;
  MetricFamily<Counter>& calls = registry.AddCounter("test_calls_total", "Calls finished.", {"method", "code"});
  calls.WithLabels({"Sync", "OK"}).Increment(3);
  calls.WithLabels({"Get", "NOT_FOUND"}).Increment();
  calls.WithLabels({"Get", "OK"});  // resolved, never counted: still a series
  EXPECT_EQ(registry.Render(),
            "# HELP test_calls_total Calls finished.\n"
            "# TYPE test_calls_total counter\n"
            "test_calls_total{method=\"Get\",code=\"NOT_FOUND\"} 1\n"
            "test_calls_total{method=\"Get\",code=\"OK\"} 0\n"
            "test_calls_total{method=\"Sync\",code=\"OK\"} 3\n");
}

TEST(MetricRegistryTest, EscapesHelpAndLabelValues) {
  MetricRegistry registry;
  registry.AddCounter("test_total", "A \"quoted\" back\\slash\nand a second line.", {"path"})
      .WithLabels({"a\"b\\c\nd"})
      .Increment();
  // HELP escapes backslash and newline only; label values also the quote.
  EXPECT_EQ(registry.Render(),
            R"txt(# HELP test_total A "quoted" back\\slash\nand a second line.
# TYPE test_total counter
test_total{path="a\"b\\c\nd"} 1
)txt");
}

TEST(MetricRegistryTest, HistogramBucketsAreCumulative) {
  MetricRegistry registry;
  Histogram& latency =
      registry.AddHistogram("test_latency_seconds", "Latency.", {"method"}, {0.25, 0.5, 1}).WithLabels({"Get"});
  for (double seconds : {0.25, 0.5, 0.75, 2.0}) latency.Observe(seconds);
  // 0.25 falls in le="0.25": a bound is inclusive.
  EXPECT_EQ(registry.Render(),
            "# HELP test_latency_seconds Latency.\n"
            "# TYPE test_latency_seconds histogram\n"
            "test_latency_seconds_bucket{method=\"Get\",le=\"0.25\"} 1\n"
            "test_latency_seconds_bucket{method=\"Get\",le=\"0.5\"} 2\n"
            "test_latency_seconds_bucket{method=\"Get\",le=\"1\"} 3\n"
            "test_latency_seconds_bucket{method=\"Get\",le=\"+Inf\"} 4\n"
            "test_latency_seconds_sum{method=\"Get\"} 3.5\n"
            "test_latency_seconds_count{method=\"Get\"} 4\n");
}

TEST(MetricRegistryTest, FamiliesWithoutLabelsExistAtZeroInRegistrationOrder) {
  MetricRegistry registry;
  registry.AddHistogram("test_job_seconds", "Jobs.", {}, {1});
  Gauge& temperature = registry.AddGauge("test_temperature", "Temperature.").WithLabels({});
  registry.AddCallbackGauge("test_watchers", "Watchers.", [] { return 7.0; });
  registry.AddCounter("test_started_total", "Started.");
  temperature.Set(-1.5);
  EXPECT_EQ(registry.Render(),
            "# HELP test_job_seconds Jobs.\n"
            "# TYPE test_job_seconds histogram\n"
            "test_job_seconds_bucket{le=\"1\"} 0\n"
            "test_job_seconds_bucket{le=\"+Inf\"} 0\n"
            "test_job_seconds_sum 0\n"
            "test_job_seconds_count 0\n"
            "# HELP test_temperature Temperature.\n"
            "# TYPE test_temperature gauge\n"
            "test_temperature -1.5\n"
            "# HELP test_watchers Watchers.\n"
            "# TYPE test_watchers gauge\n"
            "test_watchers 7\n"
            "# HELP test_started_total Started.\n"
            "# TYPE test_started_total counter\n"
            "test_started_total 0\n");
}

TEST(MetricRegistryTest, AFamilyWithLabelsButNoSeriesHasItsHeaderOnly) {
  MetricRegistry registry;
  registry.AddCounter("test_total", "Nothing yet.", {"code"});
  EXPECT_EQ(registry.Render(), "# HELP test_total Nothing yet.\n# TYPE test_total counter\n");
}

TEST(MetricRegistryTest, TheSameLabelValuesAreTheSameSeries) {
  MetricRegistry registry;
  MetricFamily<Counter>& family = registry.AddCounter("test_total", "T.", {"code"});
  EXPECT_EQ(&family.WithLabels({"OK"}), &family.WithLabels({"OK"}));
  EXPECT_NE(&family.WithLabels({"OK"}), &family.WithLabels({"NOT_FOUND"}));
}

TEST(TextFormatTest, ValuesAreTheShortestExactText) {
  EXPECT_EQ(FormatValue(1), "1");
  EXPECT_EQ(FormatValue(0.005), "0.005");
  EXPECT_EQ(FormatValue(2.5), "2.5");
  EXPECT_EQ(FormatValue(1800), "1800");
  EXPECT_EQ(FormatValue(1e21), "1e+21");
  EXPECT_EQ(FormatValue(-0.25), "-0.25");
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(FormatValue(std::nan("")), "NaN");
}

TEST(MetricNamesTest, FollowThePrometheusDataModel) {
  EXPECT_TRUE(IsValidMetricName("lss_rpc_calls_total"));
  EXPECT_TRUE(IsValidMetricName("job:rate5m"));
  EXPECT_FALSE(IsValidMetricName(""));
  EXPECT_FALSE(IsValidMetricName("1st"));
  EXPECT_FALSE(IsValidMetricName("rpc-calls"));
  EXPECT_TRUE(IsValidLabelName("method"));
  EXPECT_FALSE(IsValidLabelName("__name__"));
  EXPECT_FALSE(IsValidLabelName("a:b"));
  EXPECT_FALSE(IsValidLabelName("9"));
}

TEST(MetricRegistryDeathTest, ABadRegistrationIsABug) {
  EXPECT_DEATH(MetricRegistry().AddCounter("bad-name", "x"), "invalid metric name");
  EXPECT_DEATH(MetricRegistry().AddHistogram("h", "x", {"le"}, {1}), "invalid label name");
  EXPECT_DEATH(MetricRegistry().AddHistogram("h", "x", {}, {1, 1}), "strictly increasing");
  EXPECT_DEATH(
      {
        MetricRegistry registry;
        registry.AddCounter("twice_total", "x");
        registry.AddGauge("twice_total", "x");
      },
      "registered twice");
  EXPECT_DEATH(MetricRegistry().AddCounter("c_total", "x", {"a", "b"}).WithLabels({"only one"}),
               "has 2 labels, given 1");
}

}  // namespace
}  // namespace lss::metrics
