#include "ka-mock/lease_term.h"

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace ka_mock {
namespace {

// Unix seconds of a UTC date and time.
int64_t At(int year, int month, int day, int hour = 0, int minute = 0) {
  return absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0),
                      absl::UTCTimeZone()));
}

TEST(LeaseTermTest, OneTermIsOneCalendarYear) {
  EXPECT_EQ(OneTermAfter(At(2023, 3, 1, 12, 0)), At(2024, 3, 1, 12, 0));
  // 2024 is a leap year: 366 days.
  EXPECT_EQ(OneTermAfter(At(2024, 1, 15)), At(2025, 1, 15));
}

TEST(LeaseTermTest, TwentyNinthOfFebruaryMovesToFirstOfMarch) {
  EXPECT_EQ(OneTermAfter(At(2024, 2, 29, 8, 30)), At(2025, 3, 1, 8, 30));
}

TEST(LeaseTermTest, StartTermFromNowWithUpdateDueTenDaysBefore) {
  KeyRecord key;
  StartTerm(key, At(2024, 5, 20));
  EXPECT_EQ(key.expire_time, At(2025, 5, 20));
  EXPECT_EQ(key.update_due_time, At(2025, 5, 10));
}

TEST(LeaseTermTest, RenewTermAddsOneTermToTheExpiry) {
  KeyRecord key;
  SetExpiry(key, At(2024, 6, 1));
  RenewTerm(key);
  EXPECT_EQ(key.expire_time, At(2025, 6, 1));
  EXPECT_EQ(key.update_due_time, At(2025, 5, 22));
}

}  // namespace
}  // namespace ka_mock
