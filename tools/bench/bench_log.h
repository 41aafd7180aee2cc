// Progress lines on stderr, so that a run of half an hour shows where it is.
#pragma once

#include <cstdio>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace lss::bench {

// "12:34:56 bench: <line>". Thread-safe (one fprintf).
inline void Log(absl::string_view line) {
  const std::string time = absl::FormatTime("%H:%M:%S", absl::Now(), absl::LocalTimeZone());
  std::fprintf(stderr, "%s bench: %.*s\n", time.c_str(), static_cast<int>(line.size()), line.data());
}

}  // namespace lss::bench
