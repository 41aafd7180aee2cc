#include "server/jobs/progress_hub.h"

#include <gtest/gtest.h>

#include <vector>

#include "common/status/error_details.h"

namespace lss {
namespace {

SyncProgressSnapshot Snapshot(int64_t processed, SyncJobState state = SyncJobState::kRunning) {
  SyncProgressSnapshot s;
  s.job_id = "job-1";
  s.state = state;
  s.counts.processed = processed;
  return s;
}

// A watcher that takes as long as the test says: it "sends" a snapshot only
// when the test completes the previous send, as a slow network would.
class SlowSink : public ProgressSink {
 public:
  explicit SlowSink(ProgressHub& hub) : hub_(hub) {}
  void OnProgress() override {
    if (sending_) {
      newer_waiting_ = true;
      return;
    }
    Send();
  }
  void CompleteSend() {
    sending_ = false;
    if (newer_waiting_) {
      newer_waiting_ = false;
      Send();
    }
  }
  std::vector<int64_t> sent;

 private:
  void Send() {
    sending_ = true;
    sent.push_back(hub_.Latest("job-1")->counts.processed);
  }
  ProgressHub& hub_;
  bool sending_ = false;
  bool newer_waiting_ = false;
};

TEST(ProgressHubTest, LateWatcherGetsTheCurrentStateFirst) {
  ProgressHub hub;
  hub.Publish(Snapshot(40));
  SlowSink sink(hub);
  ProgressHub::SubscriptionId id = *hub.Subscribe("job-1", "caller", &sink);
  EXPECT_EQ(sink.sent, (std::vector<int64_t>{40}));
  hub.Unsubscribe("job-1", id);
  EXPECT_EQ(hub.WatcherCount("job-1"), 0u);
}

TEST(ProgressHubTest, SlowWatcherSkipsIntermediateEventsNeverTheFinalOne) {
  ProgressHub hub;
  SlowSink slow(hub);
  SlowSink fast(hub);
  ASSERT_TRUE(hub.Subscribe("job-1", "caller", &slow).ok());
  ASSERT_TRUE(hub.Subscribe("job-1", "caller", &fast).ok());
  for (int64_t processed = 1; processed <= 5; ++processed) {
    hub.Publish(Snapshot(processed));
    fast.CompleteSend();
  }
  hub.Publish(Snapshot(6, SyncJobState::kSucceeded));
  fast.CompleteSend();
  slow.CompleteSend();  // the slow one finishes its first send only now
  slow.CompleteSend();
  EXPECT_EQ(fast.sent, (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(slow.sent, (std::vector<int64_t>{1, 6}));
}

TEST(ProgressHubTest, FinalSnapshotIsNeverReplacedByAnIntermediateOne) {
  ProgressHub hub;
  hub.Publish(Snapshot(10, SyncJobState::kCancelled));
  hub.Publish(Snapshot(11));
  EXPECT_EQ(hub.Latest("job-1")->state, SyncJobState::kCancelled);
  EXPECT_TRUE(hub.JobsAwaitingProgress().empty());
}

TEST(ProgressHubTest, OnlyWatchedUnfinishedJobsAwaitProgress) {
  ProgressHub hub;
  SlowSink sink(hub);
  ASSERT_TRUE(hub.Subscribe("job-1", "caller", &sink).ok());
  EXPECT_EQ(hub.JobsAwaitingProgress(), (std::vector<std::string>{"job-1"}));
  hub.Publish(Snapshot(3, SyncJobState::kSucceeded));
  EXPECT_TRUE(hub.JobsAwaitingProgress().empty());
}

TEST(ProgressHubTest, EndedJobsNobodyWatchesAreDropped) {
  ProgressHub hub;
  SlowSink sink(hub);
  ProgressHub::SubscriptionId id = *hub.Subscribe("job-1", "caller", &sink);
  hub.Publish(Snapshot(3, SyncJobState::kSucceeded));
  // Watched: the final snapshot stays for its watcher.
  ASSERT_TRUE(hub.Latest("job-1").has_value());
  hub.Unsubscribe("job-1", id);
  EXPECT_FALSE(hub.Latest("job-1").has_value());

  // Ended and never watched: dropped when another job publishes.
  SyncProgressSnapshot other = Snapshot(1, SyncJobState::kCancelled);
  hub.Publish(other);
  SyncProgressSnapshot next = Snapshot(1);
  next.job_id = "job-2";
  hub.Publish(next);
  EXPECT_FALSE(hub.Latest("job-1").has_value());
  EXPECT_TRUE(hub.Latest("job-2").has_value());
}

TEST(ProgressHubTest, WatchersAreCappedPerJobAndPerCaller) {
  ProgressHub hub(WatcherLimits{.per_job = 3, .per_caller = 2});
  SlowSink a(hub), b(hub), c(hub), d(hub), e(hub);
  absl::StatusOr<ProgressHub::SubscriptionId> a1 = hub.Subscribe("job-1", "alice", &a);
  ASSERT_TRUE(a1.ok());
  ASSERT_TRUE(hub.Subscribe("job-1", "alice", &b).ok());
  // Alice's third stream, on any job, is one too many for her.
  absl::StatusOr<ProgressHub::SubscriptionId> refused = hub.Subscribe("job-2", "alice", &c);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ReasonOf(refused.status()), kReasonTooManyWatchers);
  EXPECT_EQ(hub.WatcherCount("job-2"), 0u);
  // Bob may watch job-1 until the job has three watchers.
  ASSERT_TRUE(hub.Subscribe("job-1", "bob", &c).ok());
  refused = hub.Subscribe("job-1", "carol", &d);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ReasonOf(refused.status()), kReasonTooManyWatchers);
  EXPECT_EQ(hub.WatcherCount("job-1"), 3u);
  // A watcher that leaves gives its place back, to the job and its caller.
  hub.Unsubscribe("job-1", *a1);
  EXPECT_TRUE(hub.Subscribe("job-1", "carol", &d).ok());
  EXPECT_TRUE(hub.Subscribe("job-2", "alice", &e).ok());
}

}  // namespace
}  // namespace lss
