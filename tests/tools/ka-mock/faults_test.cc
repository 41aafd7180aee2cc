#include "ka-mock/faults.h"

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "ka-mock/call_counter.h"
#include "ka-mock/ka_errors.h"

namespace ka_mock {
namespace {

TEST(FaultInjectorTest, NoFaultsUnlessSet) {
  FaultInjector faults;
  const FaultPlan plan = faults.PlanFor(KaMethod::kGetKeyInfo);
  EXPECT_TRUE(plan.error.ok());
  EXPECT_EQ(plan.latency, absl::ZeroDuration());
}

TEST(FaultInjectorTest, OutageIsABareUnavailable) {
  FaultInjector faults;
  faults.Set({.outage = true});
  const FaultPlan plan = faults.PlanFor(KaMethod::kListKeys);
  EXPECT_EQ(plan.error.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(plan.error.message(), "KA outage (injected)");
  EXPECT_FALSE(KaCodeOf(plan.error).has_value());
}

TEST(FaultInjectorTest, ErrorRateOneFailsEveryCallWithTheCode) {
  FaultInjector faults;
  faults.Set({.error_rate = 1, .error_code = KaCode::kRemoteOperationFailed});
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(KaCodeOf(faults.PlanFor(KaMethod::kUpgradeKey).error),
              KaCode::kRemoteOperationFailed);
  }
}

TEST(FaultInjectorTest, ErrorRateIsAFraction) {
  FaultInjector faults;
  faults.Set({.error_rate = 0.25});
  int failed = 0;
  for (int i = 0; i < 4000; ++i) {
    failed += faults.PlanFor(KaMethod::kGetKeyInfo).error.ok() ? 0 : 1;
  }
  EXPECT_GT(failed, 800);
  EXPECT_LT(failed, 1200);
}

TEST(FaultInjectorTest, MethodsLimitEveryFault) {
  FaultInjector faults;
  faults.Set({.latency = absl::Milliseconds(20),
              .error_rate = 1,
              .methods = {KaMethod::kUpgradeKey, KaMethod::kCreateKey}});
  const FaultPlan upgrade = faults.PlanFor(KaMethod::kUpgradeKey);
  EXPECT_EQ(KaCodeOf(upgrade.error), KaCode::kInternal);
  EXPECT_EQ(upgrade.latency, absl::Milliseconds(20));
  const FaultPlan get = faults.PlanFor(KaMethod::kGetKeyInfo);
  EXPECT_TRUE(get.error.ok());
  EXPECT_EQ(get.latency, absl::ZeroDuration());
}

TEST(FaultInjectorTest, EachSetReplacesThePrevious) {
  FaultInjector faults;
  faults.Set({.outage = true});
  faults.Set({.latency = absl::Milliseconds(5)});
  const FaultPlan plan = faults.PlanFor(KaMethod::kRenewKey);
  EXPECT_TRUE(plan.error.ok());
  EXPECT_EQ(plan.latency, absl::Milliseconds(5));
  faults.Set({});
  EXPECT_EQ(faults.PlanFor(KaMethod::kRenewKey).latency, absl::ZeroDuration());
}

TEST(CallCounterTest, CountsPerMethodAndLeavesOutUncalledOnes) {
  CallCounter calls;
  calls.Count(KaMethod::kUpgradeKey);
  calls.Count(KaMethod::kUpgradeKey);
  calls.Count(KaMethod::kGetKeyInfo);
  const auto counts = calls.Snapshot(/*reset=*/false);
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts[0].first, "GetKeyInfo");
  EXPECT_EQ(counts[0].second, 1);
  EXPECT_EQ(counts[1].first, "UpgradeKey");
  EXPECT_EQ(counts[1].second, 2);
  EXPECT_EQ(calls.Snapshot(/*reset=*/true).size(), 2u);
  EXPECT_TRUE(calls.Snapshot(/*reset=*/false).empty());
}

TEST(KaMethodTest, NamesRoundTrip) {
  for (int i = 0; i < kKaMethodCount; ++i) {
    const auto method = static_cast<KaMethod>(i);
    EXPECT_EQ(KaMethodFromName(KaMethodName(method)), method);
  }
  EXPECT_FALSE(KaMethodFromName("upgradeKey").has_value());
}

}  // namespace
}  // namespace ka_mock
