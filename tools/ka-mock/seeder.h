#pragma once

#include <cstdint>

#include "absl/status/statusor.h"
#include "ka-mock/clock.h"
#include "ka-mock/key_store.h"

namespace ka_mock {

struct SeedParams {
  int64_t count = 0;  // main keys; additional keys come on top
  uint64_t seed = 0;
  bool reset = false;  // forget every key and idempotency record first
};

struct SeedOutcome {
  int64_t main_keys_created = 0;
  int64_t additional_keys_created = 0;
  int64_t total_keys = 0;
};

// Issues `count` main keys generated from `seed`: spread evenly over the
// main key types, a random capacity step and subset of the offered features
// each, and for about one in five an additional key attached. On an empty
// store (or with reset) the same count and seed give the same keys, numbers
// included. Dates hang on the start of the clock's current UTC day, so the
// keys are the same all day long and still current: each expires within the
// coming year, some within ten days (their renewal is due).
//
// One critical section: readers see all the keys or none. A million keys
// take well under a second. INVALID_ARGUMENT for a negative count or one the
// 8-digit numbers cannot hold. Thread-safe (through the KeyStore).
absl::StatusOr<SeedOutcome> SeedKeys(KeyStore& store, const Clock& clock,
                                     const SeedParams& params);

}  // namespace ka_mock
