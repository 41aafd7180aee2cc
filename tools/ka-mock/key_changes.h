#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ka-mock/clock.h"
#include "ka-mock/key_store.h"
#include "ka-mock/key_table.h"

namespace ka_mock {

// A change made to a key at KA behind billing's back: the drift that
// synchronization must find. Every set field is applied, in this order.
struct KeyChange {
  std::string key_number;  // with or without revision
  std::vector<std::string> add_features;
  std::vector<std::string> remove_features;
  int64_t capacity = 0;  // any positive number, not only a step; 0 leaves it
  std::string key_type;  // empty leaves it; the key number stays as it is
  std::optional<int64_t> expire_time;
  bool regenerate = false;  // the only change that bumps the revision
  bool terminate = false;
  bool mark_problem = false;
  std::string attach_additional_key_type;
  std::string detach_additional_key;  // detached and deleted
  bool erase = false;                 // the key becomes unknown (220)
};

struct KeyChangeOutcome {
  std::optional<KeyView> key;           // absent once erased
  std::optional<KeyView> attached_key;  // issued by attach_additional_key_type
};

// Applies `change` as one atomic step: every part is checked before any is
// applied, so a refused change leaves every key as it was. Codes: 410, 220
// (unknown key, or an additional key not attached to this one), 260 (type or
// feature not in the catalogue or not offered for the type, or a type of the
// other kind), 110 (feature already there or already absent, key already
// terminated or marked). A negative capacity is INVALID_ARGUMENT and attaching
// to an additional key FAILED_PRECONDITION, neither with a KA code: KA's
// partner API has no such requests. Thread-safe (through the KeyStore).
absl::StatusOr<KeyChangeOutcome> ApplyKeyChange(KeyStore& store,
                                                const Clock& clock,
                                                const KeyChange& change);

}  // namespace ka_mock
