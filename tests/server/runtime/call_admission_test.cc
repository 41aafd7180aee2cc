#include "server/runtime/call_admission.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "absl/synchronization/notification.h"
#include "common/status/error_details.h"

namespace lss {
namespace {

void ExpectOverloaded(const absl::Status& status, absl::Duration retry_after) {
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted) << status;
  EXPECT_EQ(ReasonOf(status), kReasonServerOverloaded);
  EXPECT_EQ(RetryDelayOf(status), retry_after);
}

TEST(CallAdmissionTest, CallsBeyondTheLimitAreRefusedAndTicketsGiveTheirPlaceBack) {
  WorkerPool pool(1);
  CallAdmission admission(pool, {.max_calls_in_progress = 2, .max_queued_tasks = 100,
                                 .retry_after = absl::Milliseconds(250)});
  std::vector<CallAdmission::Ticket> held;
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<CallAdmission::Ticket> ticket = admission.AdmitCall();
    ASSERT_TRUE(ticket.ok()) << ticket.status();
    held.push_back(*std::move(ticket));
  }
  EXPECT_EQ(admission.InProgress(), 2);
  ExpectOverloaded(admission.AdmitCall().status(), absl::Milliseconds(250));
  EXPECT_EQ(admission.InProgress(), 2);  // the refused call took no place
  held.pop_back();
  EXPECT_EQ(admission.InProgress(), 1);
  EXPECT_TRUE(admission.AdmitCall().ok());
  // A moved-from ticket gives nothing back twice.
  CallAdmission::Ticket moved = std::move(held.back());
  held.clear();
  EXPECT_EQ(admission.InProgress(), 1);
}

TEST(CallAdmissionTest, AFullWorkQueueRefusesCallsAndStreams) {
  WorkerPool pool(1);
  CallAdmission admission(pool, {.max_calls_in_progress = 100, .max_queued_tasks = 2,
                                 .retry_after = absl::Milliseconds(100)});
  absl::Notification release;
  absl::Notification running;
  pool.Run([&] {
    running.Notify();
    release.WaitForNotification();
  });
  running.WaitForNotification();  // the only thread is busy: what follows waits
  pool.Run([] {});
  EXPECT_TRUE(admission.AdmitStream().ok());
  pool.Run([] {});
  EXPECT_EQ(pool.Queued(), 2u);
  ExpectOverloaded(admission.AdmitCall().status(), absl::Milliseconds(100));
  ExpectOverloaded(admission.AdmitStream(), absl::Milliseconds(100));
  release.Notify();
}

}  // namespace
}  // namespace lss
