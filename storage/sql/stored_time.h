// Times as the schema stores them: BIGINT microseconds since the Unix epoch
// (exact and portable; neither backend's date types agree with the other's).
// A time goes in truncated to the microsecond, so what a repository returns
// for a write equals what a later read returns.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <limits>

#include "absl/time/time.h"

namespace lss::storage {

// The infinite past and future map to the extreme values and back.
inline int64_t ToStoredMicros(absl::Time time) {
  if (time == absl::InfiniteFuture()) return std::numeric_limits<int64_t>::max();
  if (time == absl::InfinitePast()) return std::numeric_limits<int64_t>::min();
  return absl::ToUnixMicros(time);
}

inline absl::Time FromStoredMicros(int64_t micros) {
  if (micros == std::numeric_limits<int64_t>::max()) return absl::InfiniteFuture();
  if (micros == std::numeric_limits<int64_t>::min()) return absl::InfinitePast();
  return absl::FromUnixMicros(micros);
}

// `time` as it reads back after being stored.
inline absl::Time AsStored(absl::Time time) { return FromStoredMicros(ToStoredMicros(time)); }

}  // namespace lss::storage
