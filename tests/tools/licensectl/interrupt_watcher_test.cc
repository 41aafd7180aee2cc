// Ctrl-C as an event: SIGINT runs the callback on the watcher's thread, once,
// and the previous disposition comes back when the watcher goes.
#include "licensectl/interrupt_watcher.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace licensectl {
namespace {

std::atomic<int> g_previous_handler_calls{0};
void PreviousHandler(int) { g_previous_handler_calls.fetch_add(1); }

TEST(InterruptWatcherTest, SigintRunsTheCallbackInsteadOfEndingTheProcess) {
  absl::Notification called;
  InterruptWatcher watcher([&] { called.Notify(); });
  EXPECT_FALSE(watcher.interrupted());
  ASSERT_EQ(kill(getpid(), SIGINT), 0);
  ASSERT_TRUE(called.WaitForNotificationWithTimeout(absl::Seconds(10)));
  EXPECT_TRUE(watcher.interrupted());
}

TEST(InterruptWatcherTest, ThePreviousDispositionComesBack) {
  struct sigaction mine = {};
  mine.sa_handler = PreviousHandler;
  sigemptyset(&mine.sa_mask);
  struct sigaction original = {};
  ASSERT_EQ(sigaction(SIGINT, &mine, &original), 0);
  {
    InterruptWatcher watcher([] {});
    struct sigaction during = {};
    sigaction(SIGINT, nullptr, &during);
    EXPECT_NE(during.sa_handler, &PreviousHandler);
  }
  struct sigaction after = {};
  sigaction(SIGINT, nullptr, &after);
  EXPECT_EQ(after.sa_handler, &PreviousHandler);
  // raise() delivers to this thread before it returns.
  const int calls_before = g_previous_handler_calls.load();
  raise(SIGINT);
  EXPECT_EQ(g_previous_handler_calls.load(), calls_before + 1);
  sigaction(SIGINT, &original, nullptr);
}

TEST(InterruptWatcherTest, NoSignalNoCallback) {
  bool called = false;
  { InterruptWatcher watcher([&] { called = true; }); }
  EXPECT_FALSE(called);
}

}  // namespace
}  // namespace licensectl
