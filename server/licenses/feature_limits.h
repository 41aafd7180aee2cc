// How many features one request may name and how long an API name (a
// feature or a license class) may be: one bound for CreateLicense and
// ConfigureUpgrade alike, so that no error quotes an unbounded string.
#pragma once

#include <cstddef>

namespace lss {

inline constexpr size_t kMaxFeaturesPerRequest = 100;
inline constexpr size_t kMaxApiNameLength = 64;

}  // namespace lss
