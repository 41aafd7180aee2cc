#include "client/call_limiter.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lss {
namespace {

using ::testing::ElementsAre;

// Records which starts ran and whether they were admitted.
struct Log {
  std::vector<int> admitted;
  std::vector<int> refused;

  CallLimiter::Start StartFor(int id) {
    return [this, id](bool ok) { (ok ? admitted : refused).push_back(id); };
  }
};

TEST(CallLimiterTest, AdmitsUpToTheLimitAndQueuesTheRest) {
  CallLimiter limiter(2);
  Log log;
  for (int id = 1; id <= 5; ++id) limiter.Submit(log.StartFor(id));
  EXPECT_THAT(log.admitted, ElementsAre(1, 2));
  EXPECT_EQ(limiter.InFlight(), 2);
  EXPECT_EQ(limiter.Queued(), 3);
}

TEST(CallLimiterTest, ReleaseAdmitsTheOldestWaiterFirst) {
  CallLimiter limiter(1);
  Log log;
  for (int id = 1; id <= 4; ++id) limiter.Submit(log.StartFor(id));
  limiter.Release();
  limiter.Release();
  EXPECT_THAT(log.admitted, ElementsAre(1, 2, 3));
  EXPECT_EQ(limiter.InFlight(), 1);  // the slot passed on, never freed
  EXPECT_EQ(limiter.Queued(), 1);
  limiter.Release();
  limiter.Release();
  EXPECT_THAT(log.admitted, ElementsAre(1, 2, 3, 4));
  EXPECT_EQ(limiter.InFlight(), 0);
  EXPECT_EQ(limiter.Queued(), 0);
}

TEST(CallLimiterTest, ShutdownRefusesQueuedAndLaterStarts) {
  CallLimiter limiter(1);
  Log log;
  for (int id = 1; id <= 3; ++id) limiter.Submit(log.StartFor(id));
  limiter.Shutdown();
  EXPECT_THAT(log.admitted, ElementsAre(1));
  EXPECT_THAT(log.refused, ElementsAre(2, 3));
  limiter.Submit(log.StartFor(4));
  EXPECT_THAT(log.refused, ElementsAre(2, 3, 4));
  limiter.Release();  // the call admitted before shutdown still gives its slot back
  EXPECT_EQ(limiter.InFlight(), 0);
  EXPECT_EQ(limiter.Queued(), 0);
}

TEST(CallLimiterTest, StartsMaySubmitAndReleaseReentrantly) {
  CallLimiter limiter(1);
  std::vector<int> order;
  // A start that finishes at once and submits a follow-up, as a KA callback
  // that pages through ListKeys does; runs outside the lock, so no deadlock.
  limiter.Submit([&](bool) {
    order.push_back(1);
    limiter.Submit([&](bool) { order.push_back(2); });
    limiter.Release();
  });
  EXPECT_THAT(order, ElementsAre(1, 2));
  EXPECT_EQ(limiter.InFlight(), 1);
}

}  // namespace
}  // namespace lss
