#include "server/daily/daily_schedule.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/status/error_details.h"

namespace lss {
namespace {

absl::Status BadTime(absl::string_view hh_mm) {
  return InvalidArgumentError("daily_at",
                              absl::StrCat("\"", hh_mm, "\" is not a UTC time of day as HH:MM"));
}

}  // namespace

absl::StatusOr<absl::Duration> ParseTimeOfDay(absl::string_view hh_mm) {
  if (hh_mm.size() != 5 || hh_mm[2] != ':') return BadTime(hh_mm);
  int hours = 0;
  int minutes = 0;
  if (!absl::SimpleAtoi(hh_mm.substr(0, 2), &hours) ||
      !absl::SimpleAtoi(hh_mm.substr(3, 2), &minutes) || hours < 0 || hours > 23 || minutes < 0 ||
      minutes > 59) {
    return BadTime(hh_mm);
  }
  return absl::Hours(hours) + absl::Minutes(minutes);
}

std::string UtcDayOf(absl::Time time) {
  return absl::FormatCivilTime(absl::ToCivilDay(time, absl::UTCTimeZone()));
}

absl::optional<std::string> DueRunDate(absl::Time now, absl::Duration time_of_day) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::CivilDay today = absl::ToCivilDay(now, utc);
  if (now < absl::FromCivil(today, utc) + time_of_day) return absl::nullopt;
  return UtcDayOf(now);
}

}  // namespace lss
