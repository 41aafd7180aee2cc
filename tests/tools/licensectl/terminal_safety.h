// A check, for the tests of licensectl's output, that a text could reach a
// terminal without driving it: valid UTF-8 with no control character (C0,
// DEL, C1), newlines aside where `newlines` allows them. Written apart from
// licensectl's own filter (terminal_safe_text.h), so that it checks that
// filter rather than repeat it. Header-only.
#pragma once

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace licensectl::testing {

enum class Newlines { kAllowed, kForbidden };

inline ::testing::AssertionResult IsTerminalSafe(absl::string_view text, Newlines newlines = Newlines::kAllowed) {
  auto failure = [&](size_t at, const char* what) {
    return ::testing::AssertionFailure() << what << " at byte " << at << " of: " << ::testing::PrintToString(text);
  };
  for (size_t i = 0; i < text.size();) {
    const auto byte = static_cast<uint8_t>(text[i]);
    // The length of the sequence from its lead byte, the lead's share of
    // the code point, and the least code point that length may encode
    // (anything less is an overlong form).
    struct Form {
      size_t length;
      uint32_t payload_mask;
      uint32_t least;
    };
    Form form = {1, 0x7F, 0};
    if (byte > 0xF7) {
      return failure(i, "a byte that starts no UTF-8 sequence");
    } else if (byte >= 0xF0) {
      form = {4, 0x07, 0x10000};
    } else if (byte >= 0xE0) {
      form = {3, 0x0F, 0x800};
    } else if (byte >= 0xC0) {
      form = {2, 0x1F, 0x80};
    } else if (byte >= 0x80) {
      return failure(i, "a byte that starts no UTF-8 sequence");
    }
    const size_t length = form.length;
    uint32_t code_point = byte & form.payload_mask;
    if (i + length > text.size()) return failure(i, "a truncated UTF-8 sequence");
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<uint8_t>(text[i + k]);
      if ((next & 0xC0) != 0x80) return failure(i, "a broken UTF-8 sequence");
      code_point = (code_point << 6) | (next & 0x3F);
    }
    if (code_point < form.least || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return failure(i, "an invalid UTF-8 sequence");
    }
    const bool newline = code_point == '\n';
    if ((code_point < 0x20 && !(newline && newlines == Newlines::kAllowed)) || code_point == 0x7F ||
        (code_point >= 0x80 && code_point <= 0x9F)) {
      return failure(i, "a control character");
    }
    i += length;
  }
  return ::testing::AssertionSuccess();
}

}  // namespace licensectl::testing
