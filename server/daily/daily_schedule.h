// When the daily run is due: once per UTC day, from a configured time of
// day (DESIGN.md §4: 02:00 UTC by default). Pure functions; thread-safe.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"

namespace lss {

// "HH:MM" (UTC, 00:00 to 23:59) as the time since midnight.
absl::StatusOr<absl::Duration> ParseTimeOfDay(absl::string_view hh_mm);

// The UTC day of `time` as YYYY-MM-DD.
std::string UtcDayOf(absl::Time time);

// The day whose run is due at `now`: today once `time_of_day` has come,
// however late (no replica may have been up at the time); unset before it.
// A day missed entirely is not made up the next day: that day's own run
// renews and expires whatever the missed one would have.
absl::optional<std::string> DueRunDate(absl::Time now, absl::Duration time_of_day);

}  // namespace lss
