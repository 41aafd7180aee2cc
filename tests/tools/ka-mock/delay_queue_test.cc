#include "ka-mock/delay_queue.h"

#include <atomic>
#include <vector>

#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ka_mock {
namespace {

using ::testing::ElementsAre;

constexpr absl::Duration kPatience = absl::Seconds(30);

TEST(DelayQueueTest, RunsCallbacksInDueOrder) {
  DelayQueue queue;
  absl::Mutex mu;
  std::vector<int> order;
  absl::BlockingCounter done(4);
  const absl::Time now = absl::Now();
  for (int delay_ms : {30, 10, 20, 10}) {
    queue.RunAt(now + absl::Milliseconds(delay_ms), [&, delay_ms] {
      absl::MutexLock lock(&mu);
      order.push_back(delay_ms);
      done.DecrementCount();
    });
  }
  done.Wait();
  absl::MutexLock lock(&mu);
  EXPECT_THAT(order, ElementsAre(10, 10, 20, 30));
}

TEST(DelayQueueTest, AnEarlierCallbackIsNotHeldUpByALaterOne) {
  DelayQueue queue;
  absl::Notification later_ran;
  absl::Notification earlier_ran;
  queue.RunAt(absl::Now() + absl::Hours(1), [&] { later_ran.Notify(); });
  queue.RunAt(absl::Now(), [&] { earlier_ran.Notify(); });
  EXPECT_TRUE(earlier_ran.WaitForNotificationWithTimeout(kPatience));
  EXPECT_FALSE(later_ran.HasBeenNotified());
  queue.Shutdown();
  EXPECT_TRUE(later_ran.HasBeenNotified());
}

TEST(DelayQueueTest, ShutdownRunsEveryPendingCallbackAtOnce) {
  DelayQueue queue;
  std::atomic<int> ran{0};
  for (int i = 0; i < 100; ++i) {
    queue.RunAt(absl::Now() + absl::Hours(1), [&] { ran.fetch_add(1); });
  }
  queue.Shutdown();
  EXPECT_EQ(ran.load(), 100);
}

TEST(DelayQueueTest, AfterShutdownCallbacksRunOnTheCaller) {
  DelayQueue queue;
  queue.Shutdown();
  bool ran = false;
  queue.RunAt(absl::Now() + absl::Hours(1), [&] { ran = true; });
  EXPECT_TRUE(ran);
  queue.Shutdown();  // idempotent
}

}  // namespace
}  // namespace ka_mock
