// The audit trail over a real SQLite repository: what reaches the log for a
// call, a refused call and a flood of refused calls.
#include "server/audit/audit_trail.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"
#include "common/text/utf8.h"
#include "storage/database.h"
#include "tests/server/fakes/scratch_database.h"
#include "tests/harness/wait.h"

namespace lss {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1'790'000'000);

class AuditTrailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<testing::ScratchDatabase> db = testing::ScratchDatabase::Open("audit-trail");
    ASSERT_TRUE(db.ok()) << db.status();
    scratch_ = *std::move(db);
    db_ = scratch_.db.get();
  }

  // Every event, oldest first, once the pool has written what it was given.
  std::vector<AuditEvent> Events() {
    absl::StatusOr<std::vector<AuditEvent>> events = db_->audit().List({}, 0, 10000);
    EXPECT_TRUE(events.ok()) << events.status();
    std::vector<AuditEvent> out = events.ok() ? *events : std::vector<AuditEvent>{};
    std::reverse(out.begin(), out.end());
    return out;
  }

  testing::ScratchDatabase scratch_;
  Database* db_ = nullptr;
  ManualClock clock_{kStart};
};

// A key number of multibyte characters longer than the column: the event is
// kept, its target cut on a character boundary (MariaDB's utf8mb4 refuses a
// cut-off sequence, and the event was lost).
TEST_F(AuditTrailTest, OverLongFieldsAreCutOnACharacterBoundaryNotLost) {
  std::string key_number;
  for (int i = 0; i < 200; ++i) key_number += "\xC3\xA9";  // 400 bytes of é
  std::string actor(300, 'a');
  {
    WorkerPool pool(1);
    AuditTrail trail(db_->audit(), pool, clock_);
    trail.Record(CallerIdentity{actor, Role::kOperator, std::string(300, 'r'), "ipv4:127.0.0.1:1"},
                 AuditedCall{"SyncLicense", 7, key_number, std::string(2000, 'd') + "\xE2\x82\xAC"},
                 absl::OkStatus());
  }
  std::vector<AuditEvent> events = Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].target.size(), 254u);  // 127 é: the 128th would pass 255 bytes
  EXPECT_EQ(ValidUtf8(events[0].target), events[0].target);
  EXPECT_EQ(events[0].actor, std::string(255, 'a'));
  EXPECT_EQ(events[0].request_id, std::string(255, 'r'));
  EXPECT_EQ(events[0].license_id, 7);
  EXPECT_EQ(events[0].call_count, 1);
}

// 5,000 refused calls of one host: one event at once, one with the count.
TEST_F(AuditTrailTest, AFloodOfRefusalsIsOneEventAndOneCount) {
  const absl::Status refusal = WithReason(absl::UnauthenticatedError("no bearer token"), "UNAUTHENTICATED");
  {
    WorkerPool pool(1);
    AuditTrail trail(db_->audit(), pool, clock_, AuditOptions{.refusal_window = absl::Seconds(60)});
    for (int i = 0; i < 5000; ++i) {
      trail.RecordRefusal(CallerIdentity{"", Role::kNone, absl::StrCat("req-", i),
                                         absl::StrCat("ipv4:10.1.2.3:", 40000 + i % 500)},
                          "CreateLicense", refusal);
      clock_.Advance(absl::Milliseconds(1));
    }
    // The first was written at once, the others only counted so far.
    ASSERT_TRUE(harness::WaitFor([&] { return Events().size() == 1; }, absl::Seconds(10)));
    // The window ends: its count is written.
    clock_.Advance(absl::Seconds(60));
    ASSERT_TRUE(harness::WaitFor([&] { return Events().size() == 2; }, absl::Seconds(10)));
  }
  std::vector<AuditEvent> events = Events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].call_count, 1);
  EXPECT_EQ(events[0].outcome, "UNAUTHENTICATED");
  EXPECT_EQ(events[0].request_id, "req-0");
  EXPECT_NE(events[0].detail.find("ipv4:10.1.2.3:40000"), std::string::npos) << events[0].detail;
  EXPECT_EQ(events[1].call_count, 4999);
  EXPECT_EQ(events[1].method, "CreateLicense");
  EXPECT_EQ(events[1].event_time, kStart + absl::Milliseconds(1));
  EXPECT_EQ(events[1].request_id, "req-4999");
  EXPECT_NE(events[1].detail.find("4999 more calls refused"), std::string::npos) << events[1].detail;
  EXPECT_NE(events[1].detail.find("ipv4:10.1.2.3 "), std::string::npos) << events[1].detail;
}

// What is still counted when the server stops is written, not lost.
TEST_F(AuditTrailTest, CountsStillOpenAreWrittenAtShutdown) {
  {
    WorkerPool pool(1);
    AuditTrail trail(db_->audit(), pool, clock_, AuditOptions{.refusal_window = absl::Hours(1)});
    for (int i = 0; i < 3; ++i) {
      trail.RecordRefusal(CallerIdentity{"ci", Role::kViewer, "r", "ipv4:10.0.0.9:1"}, "SyncLicense",
                          absl::PermissionDeniedError("role viewer may not call SyncLicense"));
    }
  }
  std::vector<AuditEvent> events = Events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].actor, "ci");
  EXPECT_EQ(events[0].outcome, "PERMISSION_DENIED");
  EXPECT_EQ(events[1].call_count, 2);
}

}  // namespace
}  // namespace lss
