// The progress display of sync-all and watch: the live bar (its text, its
// fit to the terminal, the redraw), the plain lines (their rate limit), and
// the rate and ETA formats.
#include "licensectl/progress_renderer.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "fake_job_service.h"

namespace licensectl {
namespace {

using licensing::v1::SyncProgress;
using testing::Progress;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

constexpr int64_t kStart = 1768471200;  // 2026-01-15 10:00:00 UTC

// Job "job-1" running at 120 of 300 (100 in sync, 15 not, 3 errors, 2
// skipped), 12.5/s, 14 s to go, taken at kStart + `seconds`.
SyncProgress Running(double seconds = 0) {
  SyncProgress progress = Progress("job-1", licensing::v1::SYNC_JOB_STATE_RUNNING, 300, 100, 15, 3, 2);
  progress.set_rate_per_second(12.5);
  progress.mutable_eta()->set_seconds(14);
  progress.mutable_update_time()->set_seconds(kStart + static_cast<int64_t>(seconds));
  progress.mutable_update_time()->set_nanos(static_cast<int32_t>((seconds - static_cast<int64_t>(seconds)) * 1e9));
  return progress;
}

SyncProgress Succeeded(double seconds) {
  SyncProgress progress = Progress("job-1", licensing::v1::SYNC_JOB_STATE_SUCCEEDED, 300, 280, 15, 3, 2);
  progress.mutable_update_time()->set_seconds(kStart + static_cast<int64_t>(seconds));
  return progress;
}

ProgressRenderer Bar(int width) {
  return ProgressRenderer({.style = ProgressRenderer::Style::kLiveBar, .width = width});
}

ProgressRenderer Lines() { return ProgressRenderer({.style = ProgressRenderer::Style::kPlainLines}); }

TEST(FormatEtaTest, SecondsMinutesHours) {
  EXPECT_EQ(FormatEta(absl::Seconds(0)), "0s");
  EXPECT_EQ(FormatEta(absl::Milliseconds(14400)), "14s");
  EXPECT_EQ(FormatEta(absl::Milliseconds(59600)), "1m00s") << "rounded to the second";
  EXPECT_EQ(FormatEta(absl::Seconds(185)), "3m05s");
  EXPECT_EQ(FormatEta(absl::Seconds(2 * 3600 + 4 * 60 + 59)), "2h04m");
  EXPECT_EQ(FormatEta(absl::Seconds(-3)), "0s") << "a late estimate is not negative";
}

TEST(FormatRateTest, OneDecimalBelowTenWholeAbove) {
  EXPECT_EQ(FormatRate(0), "0.0/s");
  EXPECT_EQ(FormatRate(12.5), "12/s");
  EXPECT_EQ(FormatRate(3.25), "3.2/s");
  EXPECT_EQ(FormatRate(250.4), "250/s");
  EXPECT_EQ(FormatRate(-1), "0.0/s");
}

TEST(DescribeProgressCountsTest, DoneTotalPercentAndEveryOutcome) {
  EXPECT_EQ(DescribeProgressCounts(Running()), "120/300 (40%)  in sync 100  not in sync 15  errors 3  skipped 2");
  EXPECT_EQ(DescribeProgressCounts(Progress("j", licensing::v1::SYNC_JOB_STATE_RUNNING, 0, 0, 0, 0, 0)),
            "0/0  in sync 0  not in sync 0  errors 0  skipped 0")
      << "no percentage of nothing";
  EXPECT_EQ(DescribeProgressCounts(Progress("j", licensing::v1::SYNC_JOB_STATE_RUNNING, 3, 2, 0, 0, 0)),
            "2/3 (66%)  in sync 2  not in sync 0  errors 0  skipped 0")
      << "rounded down: 100% only when done";
}

TEST(ProgressRendererTest, TheBarShowsDoneTotalCountsRateAndEta) {
  ProgressRenderer renderer = Bar(120);
  EXPECT_EQ(renderer.Render(Running(), absl::Now()),
            "\r[############------------------] 120/300 (40%)  in sync 100  not in sync 15  errors 3  skipped 2"
            "  12/s  ETA 14s");
  EXPECT_EQ(renderer.EndLine(), "\n");
  EXPECT_EQ(renderer.EndLine(), "") << "the line is ended once";
}

TEST(ProgressRendererTest, TheBarFitsANarrowTerminalAndGoesBeforeTheText) {
  // The text is 78 characters: at 94 columns the bar has 12 cells (the
  // last column stays free); at 85 it would have 3, too few to be worth
  // showing.
  ProgressRenderer medium = Bar(94);
  const std::string line = medium.Render(Running(), absl::Now());
  EXPECT_THAT(line, StartsWith("\r[####--------] 120/300"));
  EXPECT_EQ(line.size() - 1, 93u) << "never the last column: some terminals wrap there";

  ProgressRenderer narrow = Bar(85);
  EXPECT_THAT(narrow.Render(Running(), absl::Now()), StartsWith("\r120/300 (40%)  in sync 100"));

  ProgressRenderer tiny = Bar(40);
  EXPECT_EQ(tiny.Render(Running(), absl::Now()), "\r120/300 (40%)  in sync 100  not in sync")
      << "cut to 39 columns rather than wrapped";
}

TEST(ProgressRendererTest, ARedrawBlanksWhatALongerLineLeft) {
  ProgressRenderer renderer = Bar(200);
  const std::string first = renderer.Render(Running(), absl::Now());
  SyncProgress shorter = Progress("job-1", licensing::v1::SYNC_JOB_STATE_RUNNING, 300, 1, 0, 0, 0);
  shorter.set_rate_per_second(1);
  const std::string second = renderer.Render(shorter, absl::Now());
  EXPECT_EQ(second.size(), first.size()) << "padded over the previous line";
  EXPECT_THAT(second, EndsWith("1.0/s  ETA -       ")) << "no ETA from the server reads as unknown";
}

TEST(ProgressRendererTest, WaitingForKaReplacesRateAndEta) {
  SyncProgress waiting = Running();
  waiting.set_waiting_for_key_administrator(true);
  ProgressRenderer renderer = Bar(200);
  const std::string line = renderer.Render(waiting, absl::Now());
  EXPECT_THAT(line, EndsWith("skipped 2  waiting for KA (unreachable)"));
  EXPECT_THAT(line, Not(HasSubstr("ETA")));
}

TEST(ProgressRendererTest, AFinalBarIsFullAndHasNoRateOrEta) {
  ProgressRenderer renderer = Bar(120);
  EXPECT_EQ(renderer.Render(Succeeded(5), absl::Now()),
            "\r[##############################] 300/300 (100%)  in sync 280  not in sync 15  errors 3  skipped 2");
}

TEST(ProgressRendererTest, PlainLinesCarryTheEventTimeAndState) {
  ProgressRenderer renderer = Lines();
  EXPECT_EQ(renderer.Render(Running(), absl::Now()),
            "2026-01-15 10:00:00 UTC  RUNNING  120/300 (40%)  in sync 100  not in sync 15  errors 3  skipped 2"
            "  12/s  ETA 14s\n");
  EXPECT_EQ(renderer.EndLine(), "") << "plain lines end themselves";
}

TEST(ProgressRendererTest, PlainLinesComeAtMostOncePerSecondOfEventTimeAndAlwaysTheLast) {
  ProgressRenderer renderer = Lines();
  const absl::Time clock = absl::FromUnixSeconds(0);  // unused: every event has its time
  EXPECT_THAT(renderer.Render(Running(0), clock), Not(IsEmpty())) << "the first event";
  EXPECT_THAT(renderer.Render(Running(0.2), clock), IsEmpty());
  EXPECT_THAT(renderer.Render(Running(0.9), clock), IsEmpty());
  EXPECT_THAT(renderer.Render(Running(1.0), clock), StartsWith("2026-01-15 10:00:01 UTC  RUNNING"));
  EXPECT_THAT(renderer.Render(Running(1.5), clock), IsEmpty());
  EXPECT_THAT(renderer.Render(Succeeded(1.6), clock), StartsWith("2026-01-15 10:00:01 UTC  SUCCEEDED  300/300"))
      << "the final event, however soon";
}

TEST(ProgressRendererTest, PlainLinesOfEventsWithoutTimeUseTheClock) {
  ProgressRenderer renderer = Lines();
  SyncProgress untimed = Running();
  untimed.clear_update_time();
  const absl::Time start = absl::FromUnixSeconds(kStart);
  EXPECT_THAT(renderer.Render(untimed, start), StartsWith("2026-01-15 10:00:00 UTC"));
  EXPECT_THAT(renderer.Render(untimed, start + absl::Milliseconds(999)), IsEmpty());
  EXPECT_THAT(renderer.Render(untimed, start + absl::Seconds(1)), StartsWith("2026-01-15 10:00:01 UTC"));
}

TEST(IsFinalProgressTest, OnlyEndedStates) {
  EXPECT_FALSE(IsFinalProgress(Progress("j", licensing::v1::SYNC_JOB_STATE_RUNNING, 1, 0, 0, 0, 0)));
  EXPECT_FALSE(IsFinalProgress(Progress("j", licensing::v1::SYNC_JOB_STATE_UNSPECIFIED, 1, 0, 0, 0, 0)));
  EXPECT_TRUE(IsFinalProgress(Progress("j", licensing::v1::SYNC_JOB_STATE_SUCCEEDED, 1, 0, 0, 0, 0)));
  EXPECT_TRUE(IsFinalProgress(Progress("j", licensing::v1::SYNC_JOB_STATE_CANCELLED, 1, 0, 0, 0, 0)));
  EXPECT_TRUE(IsFinalProgress(Progress("j", licensing::v1::SYNC_JOB_STATE_FAILED, 1, 0, 0, 0, 0)));
}

}  // namespace
}  // namespace licensectl
