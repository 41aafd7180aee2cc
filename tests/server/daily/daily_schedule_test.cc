#include "server/daily/daily_schedule.h"

#include <gtest/gtest.h>

#include "absl/time/civil_time.h"
#include "common/status/error_details.h"

namespace lss {
namespace {

absl::Time Utc(int y, int m, int d, int hh, int mm, int ss = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, ss), absl::UTCTimeZone());
}

TEST(ParseTimeOfDayTest, ReadsHoursAndMinutes) {
  EXPECT_EQ(ParseTimeOfDay("02:00").value(), absl::Hours(2));
  EXPECT_EQ(ParseTimeOfDay("00:00").value(), absl::ZeroDuration());
  EXPECT_EQ(ParseTimeOfDay("23:59").value(), absl::Hours(23) + absl::Minutes(59));
}

TEST(ParseTimeOfDayTest, RefusesAnythingElseNamingTheFlag) {
  for (const char* bad : {"", "2:00", "24:00", "12:60", "12-00", "ab:cd", "02:00:00", "-1:00"}) {
    absl::StatusOr<absl::Duration> parsed = ParseTimeOfDay(bad);
    EXPECT_TRUE(absl::IsInvalidArgument(parsed.status())) << bad;
    ASSERT_EQ(FieldViolationsOf(parsed.status()).size(), 1u) << bad;
    EXPECT_EQ(FieldViolationsOf(parsed.status())[0].field, "daily_at");
  }
}

TEST(DueRunDateTest, TodayFromTheTimeOfDayOn) {
  const absl::Duration two = absl::Hours(2);
  EXPECT_FALSE(DueRunDate(Utc(2026, 11, 27, 1, 59, 59), two).has_value());
  EXPECT_EQ(DueRunDate(Utc(2026, 11, 27, 2, 0), two), "2026-11-27");
  // However late in the day: no replica may have been up at 02:00.
  EXPECT_EQ(DueRunDate(Utc(2026, 11, 27, 23, 59, 59), two), "2026-11-27");
  // Before the time, yesterday is not made up.
  EXPECT_FALSE(DueRunDate(Utc(2026, 11, 28, 0, 0), two).has_value());
  EXPECT_EQ(DueRunDate(Utc(2026, 1, 1, 0, 0), absl::ZeroDuration()), "2026-01-01");
}

TEST(UtcDayOfTest, FormatsTheUtcDay) {
  EXPECT_EQ(UtcDayOf(Utc(2026, 2, 3, 23, 59, 59)), "2026-02-03");
  EXPECT_EQ(UtcDayOf(Utc(2026, 2, 4, 0, 0)), "2026-02-04");
}

}  // namespace
}  // namespace lss
