// Recording from many threads at once loses nothing: the counts after
// N threads x M records are exact, whichever thread resolved a series
// first.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "server/metrics/code_counters.h"
#include "server/metrics/metric_registry.h"

namespace lss::metrics {
namespace {

constexpr int kThreads = 8;
constexpr int kRecordsPerThread = 20000;

void RunOnThreads(const std::function<void(int thread)>& work) {
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(work, t);
  for (std::thread& thread : threads) thread.join();
}

TEST(MetricsConcurrencyTest, CounterSumsEveryIncrement) {
  MetricRegistry registry;
  Counter& counter = registry.AddCounter("test_total", "T.").WithLabels({});
  RunOnThreads([&](int) {
    for (int i = 0; i < kRecordsPerThread; ++i) counter.Increment();
  });
  EXPECT_EQ(counter.Value(), uint64_t{kThreads} * kRecordsPerThread);
}

TEST(MetricsConcurrencyTest, HistogramCountsAndSumsEveryObservation) {
  MetricRegistry registry;
  Histogram& histogram = registry.AddHistogram("test_seconds", "T.", {}, {0.5, 1.5}).WithLabels({});
  // Even threads observe 1 (middle bucket), odd ones 2 (+Inf): sums of
  // small integers are exact in a double.
  RunOnThreads([&](int thread) {
    for (int i = 0; i < kRecordsPerThread; ++i) histogram.Observe(thread % 2 == 0 ? 1.0 : 2.0);
  });
  const Histogram::Snapshot snapshot = histogram.Read();
  const uint64_t per_half = uint64_t{kThreads / 2} * kRecordsPerThread;
  EXPECT_EQ(snapshot.cumulative, (std::vector<uint64_t>{0, per_half, 2 * per_half}));
  EXPECT_EQ(snapshot.count, 2 * per_half);
  EXPECT_EQ(snapshot.sum, 3.0 * static_cast<double>(per_half));
}

TEST(MetricsConcurrencyTest, SeriesResolvedConcurrentlyAreOneSeries) {
  MetricRegistry registry;
  MetricFamily<Counter>& family = registry.AddCounter("test_calls_total", "T.", {"method", "code"});
  CodeCounters by_code(family, {"Sync"});
  // Every thread resolves the same codes for the first time at once.
  RunOnThreads([&](int thread) {
    for (int i = 0; i < kRecordsPerThread; ++i) {
      by_code.For(i % 2 == 0 ? absl::StatusCode::kOk : absl::StatusCode::kNotFound).Increment();
      family.WithLabels({"Get", thread % 2 == 0 ? "OK" : "UNAVAILABLE"}).Increment();
    }
  });
  const uint64_t total = uint64_t{kThreads} * kRecordsPerThread;
  EXPECT_EQ(family.WithLabels({"Sync", "OK"}).Value(), total / 2);
  EXPECT_EQ(family.WithLabels({"Sync", "NOT_FOUND"}).Value(), total / 2);
  EXPECT_EQ(family.WithLabels({"Get", "OK"}).Value(), total / 2);
  EXPECT_EQ(family.WithLabels({"Get", "UNAVAILABLE"}).Value(), total / 2);
}

TEST(MetricsConcurrencyTest, ScrapesDuringRecordingSeeConsistentHistograms) {
  MetricRegistry registry;
  Histogram& histogram = registry.AddHistogram("test_seconds", "T.", {}, {1}).WithLabels({});
  std::thread recorder([&] {
    for (int i = 0; i < kRecordsPerThread; ++i) histogram.Observe(0.5);
  });
  for (int i = 0; i < 200; ++i) {
    const Histogram::Snapshot snapshot = histogram.Read();
    // The +Inf bucket is the count, and buckets never decrease.
    ASSERT_EQ(snapshot.cumulative.back(), snapshot.count);
    ASSERT_LE(snapshot.cumulative.front(), snapshot.cumulative.back());
    registry.Render();
  }
  recorder.join();
  EXPECT_EQ(histogram.Read().count, uint64_t{kRecordsPerThread});
}

TEST(CodeCountersTest, ACodeOutsideTheCanonicalOnesCountsAsUnknown) {
  MetricRegistry registry;
  MetricFamily<Counter>& family = registry.AddCounter("test_calls_total", "T.", {"method", "code"});
  CodeCounters by_code(family, {"Sync"});
  by_code.For(static_cast<absl::StatusCode>(42)).Increment();
  EXPECT_EQ(family.WithLabels({"Sync", "UNKNOWN"}).Value(), 1u);
}

}  // namespace
}  // namespace lss::metrics
