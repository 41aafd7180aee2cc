// UTF-8 for text that comes from outside (callers, KA, the database) and
// goes where only valid UTF-8 belongs: MariaDB's utf8mb4 columns refuse a
// cut-off sequence, and JSON must be UTF-8 (RFC 8259 §8.1).
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace lss {

// The length in bytes of the well-formed UTF-8 sequence at the start of
// `text` (1 to 4), or 0 when it does not start with one (a stray
// continuation byte, a truncated or overlong sequence, a surrogate, a code
// point above U+10FFFF). `text` must not be empty.
size_t Utf8SequenceLength(absl::string_view text);

// The longest prefix of `text` of at most `max_bytes` bytes that does not
// end inside a UTF-8 sequence. Bytes of `text` that are not UTF-8 count as
// one-byte units, so the prefix of a valid text is valid.
absl::string_view TruncateUtf8(absl::string_view text, size_t max_bytes);

// `text` with every byte that is not part of a well-formed sequence
// replaced by U+FFFD.
std::string ValidUtf8(absl::string_view text);

}  // namespace lss
