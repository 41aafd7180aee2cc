// The idle limit of progress streams: on_idle runs once the limit passes
// without Feed(), and never when the watchdog goes first.
#include "licensectl/idle_watchdog.h"

#include <atomic>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace licensectl {
namespace {

TEST(IdleWatchdogTest, FiresOnceTheLimitPassesWithoutActivity) {
  absl::Notification idle;
  IdleWatchdog watchdog(absl::Milliseconds(50), [&] { idle.Notify(); });
  ASSERT_TRUE(idle.WaitForNotificationWithTimeout(absl::Seconds(10)));
  EXPECT_TRUE(watchdog.fired());
}

TEST(IdleWatchdogTest, DoesNotFireBeforeTheLimit) {
  std::atomic<bool> fired{false};
  {
    IdleWatchdog watchdog(absl::Hours(1), [&] { fired = true; });
    watchdog.Feed();
    EXPECT_FALSE(watchdog.fired());
  }
  EXPECT_FALSE(fired.load()) << "destroyed before its limit";
}

}  // namespace
}  // namespace licensectl
