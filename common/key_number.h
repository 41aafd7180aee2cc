// Key numbers as KA issues them: PREFIX.NNNNNNNN.RRRR, e.g.
// "PLSK.00012345.0001". The prefix and the 8-digit number identify the key
// (its "base", "PLSK.00012345"); the 4-digit revision is bumped whenever KA
// upgrades or regenerates the key. Callers may name a key without its
// revision, or with an older one, and still mean the same key.
// Pure functions; thread-safe.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"

namespace lss {

struct KeyNumber {
  std::string prefix;              // 2 to 8 upper-case letters, e.g. "PLSK"
  std::string number;              // exactly 8 digits
  absl::optional<int> revision;    // 0..9999; unset when not given

  // "PLSK.00012345": what identifies the key across revisions.
  std::string Base() const;
  // The key number as given: the base, plus ".RRRR" when a revision is set.
  std::string ToString() const;
};

// Parses "PREFIX.NNNNNNNN" or "PREFIX.NNNNNNNN.RRRR". A malformed number is
// INVALID_ARGUMENT naming `field`, with reason MALFORMED_KEY_NUMBER.
absl::StatusOr<KeyNumber> ParseKeyNumber(absl::string_view text,
                                         absl::string_view field = "key_number");

}  // namespace lss
