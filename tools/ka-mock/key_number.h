#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ka_mock {

// The 8-digit number identifies a key; the 4-digit revision counts KA's
// upgrades and regenerations of it.
inline constexpr uint32_t kMaxKeyNumber = 99'999'999;
inline constexpr uint16_t kMaxRevision = 9'999;

// A key number as a caller wrote it.
struct ParsedKeyNumber {
  std::string prefix;
  uint32_t number = 0;
  // Absent when the caller left the revision out: any revision matches.
  std::optional<uint16_t> revision;
};

// Parses PREFIX.NNNNNNNN[.RRRR]: a prefix of 2 to 8 letters A-Z, exactly 8
// digits, and optionally exactly 4 digits of revision. Anything else is KA's
// code 410 (malformed key number).
absl::StatusOr<ParsedKeyNumber> ParseKeyNumber(absl::string_view text);

// The full key number, e.g. "PLSK.00012345.0001".
std::string FormatKeyNumber(absl::string_view prefix, uint32_t number,
                            uint16_t revision);

}  // namespace ka_mock
