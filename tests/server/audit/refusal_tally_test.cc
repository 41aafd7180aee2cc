#include "server/audit/refusal_tally.h"

#include <gtest/gtest.h>

namespace lss {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1'790'000'000);
constexpr absl::Duration kWindow = absl::Seconds(60);

RefusalKey Key(const std::string& who, const std::string& method = "CreateLicense") {
  return RefusalKey{who, method, "UNAUTHENTICATED", "UNAUTHENTICATED"};
}

CallerIdentity Caller(const std::string& request_id) {
  return CallerIdentity{"", Role::kNone, request_id, "ipv4:10.0.0.1:4000"};
}

TEST(RefusalTallyTest, TheFirstRefusalIsRecordedAtOnceTheRestAsOneCountPerWindow) {
  RefusalTally tally(kWindow, 100);
  EXPECT_TRUE(tally.Count(Key("ipv4:10.0.0.1"), Caller("r0"), kStart));
  for (int i = 1; i <= 4999; ++i) {
    EXPECT_FALSE(tally.Count(Key("ipv4:10.0.0.1"), Caller("r" + std::to_string(i)), kStart + absl::Milliseconds(i)));
  }
  EXPECT_TRUE(tally.TakeDue(kStart + kWindow - absl::Milliseconds(1)).empty());

  std::vector<RefusalSummary> due = tally.TakeDue(kStart + kWindow);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].key, Key("ipv4:10.0.0.1"));
  EXPECT_EQ(due[0].count, 4999);
  EXPECT_EQ(due[0].first, kStart + absl::Milliseconds(1));
  EXPECT_EQ(due[0].last, kStart + absl::Milliseconds(4999));
  EXPECT_EQ(due[0].last_caller.request_id, "r4999");

  // The next window opened when the count was taken: refusals in it are
  // counted, not recorded at once.
  EXPECT_FALSE(tally.Count(Key("ipv4:10.0.0.1"), Caller("x"), kStart + kWindow + absl::Seconds(1)));
  EXPECT_TRUE(tally.TakeDue(kStart + kWindow + absl::Seconds(30)).empty());
  due = tally.TakeDue(kStart + 2 * kWindow);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].count, 1);
}

TEST(RefusalTallyTest, AQuietKeyIsForgottenAndItsNextRefusalRecordedAtOnce) {
  RefusalTally tally(kWindow, 100);
  EXPECT_TRUE(tally.Count(Key("a"), Caller("1"), kStart));
  EXPECT_TRUE(tally.TakeDue(kStart + kWindow).empty());
  EXPECT_EQ(tally.keys(), 0u);
  EXPECT_TRUE(tally.Count(Key("a"), Caller("2"), kStart + kWindow + absl::Seconds(1)));
}

TEST(RefusalTallyTest, KeysDifferByCallerMethodAndReason) {
  RefusalTally tally(kWindow, 100);
  EXPECT_TRUE(tally.Count(Key("a"), Caller("1"), kStart));
  EXPECT_TRUE(tally.Count(Key("b"), Caller("2"), kStart));
  EXPECT_TRUE(tally.Count(Key("a", "SyncLicense"), Caller("3"), kStart));
  RefusalKey other_reason = Key("a");
  other_reason.outcome = "PERMISSION_DENIED";
  EXPECT_TRUE(tally.Count(other_reason, Caller("4"), kStart));
  EXPECT_FALSE(tally.Count(Key("a"), Caller("5"), kStart));
}

TEST(RefusalTallyTest, CallersBeyondTheBoundAreCountedAsOne) {
  RefusalTally tally(kWindow, 2);
  EXPECT_TRUE(tally.Count(Key("a"), Caller("1"), kStart));
  EXPECT_TRUE(tally.Count(Key("b"), Caller("2"), kStart));
  // Further hosts share the overflow key: the first opens it, the rest count.
  EXPECT_TRUE(tally.Count(Key("c"), Caller("3"), kStart));
  for (int i = 0; i < 1000; ++i) EXPECT_FALSE(tally.Count(Key("h" + std::to_string(i)), Caller("x"), kStart));
  EXPECT_EQ(tally.keys(), 3u);
  std::vector<RefusalSummary> all = tally.TakeAll();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].key.who, "*");
  EXPECT_EQ(all[0].count, 1000);
  EXPECT_EQ(tally.keys(), 0u);
}

}  // namespace
}  // namespace lss
