#pragma once

#include <cstdint>

#include "absl/numeric/int128.h"

namespace ka_mock {

// SplitMix64 (Steele, Lea and Flood, 2014): tiny, fast, and the same
// sequence on every platform and standard library, which std::mt19937_64
// with std::uniform_int_distribution does not promise. Seeding must be
// reproducible across machines; nothing here needs cryptographic quality.
//
// Not thread-safe: one generator per thread, or see FaultInjector for a
// shared, lock-free use of Mix.
class SplitMix64 {
 public:
  static constexpr uint64_t kGamma = 0x9e3779b97f4a7c15;

  explicit SplitMix64(uint64_t seed) : state_(seed) {}

  uint64_t Next() { return Mix(state_ += kGamma); }

  // Uniform in [0, n) for n > 0, by Lemire's multiply-shift; the bias is
  // below n / 2^64, nothing for the small n used here.
  uint64_t Below(uint64_t n) {
    return absl::Uint128High64(absl::uint128(Next()) * n);
  }

  // The output function: a well-mixed 64-bit value for each state.
  static uint64_t Mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

}  // namespace ka_mock
