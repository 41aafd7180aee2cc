#include "ka-mock/key_number.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "ka-mock/ka_errors.h"

namespace ka_mock {
namespace {

// Enough of a bad key number to recognise it in an error message, without
// echoing a megabyte back to a caller who sent one.
constexpr size_t kEchoLimit = 40;

bool AllDigits(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool ValidPrefix(absl::string_view text) {
  if (text.size() < 2 || text.size() > 8) return false;
  for (char c : text) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

// Only called on text that AllDigits accepted and that is at most 8 long, so
// it cannot overflow.
uint32_t DigitsValue(absl::string_view digits) {
  uint32_t value = 0;
  for (char c : digits) value = value * 10 + static_cast<uint32_t>(c - '0');
  return value;
}

}  // namespace

absl::StatusOr<ParsedKeyNumber> ParseKeyNumber(absl::string_view text) {
  const auto malformed = [text] {
    return KaError(
        KaCode::kMalformedKeyNumber,
        absl::StrCat("malformed key number \"",
                     absl::CHexEscape(text.substr(0, kEchoLimit)),
                     text.size() > kEchoLimit ? "..." : "",
                     "\": expected PREFIX.NNNNNNNN or PREFIX.NNNNNNNN.RRRR"));
  };
  const size_t first_dot = text.find('.');
  if (first_dot == absl::string_view::npos) return malformed();
  const absl::string_view prefix = text.substr(0, first_dot);
  absl::string_view rest = text.substr(first_dot + 1);
  absl::string_view revision;
  if (const size_t second_dot = rest.find('.');
      second_dot != absl::string_view::npos) {
    revision = rest.substr(second_dot + 1);
    rest = rest.substr(0, second_dot);
    if (revision.size() != 4 || !AllDigits(revision)) return malformed();
  }
  if (!ValidPrefix(prefix) || rest.size() != 8 || !AllDigits(rest)) {
    return malformed();
  }

  ParsedKeyNumber parsed;
  parsed.prefix = std::string(prefix);
  parsed.number = DigitsValue(rest);
  if (!revision.empty()) {
    parsed.revision = static_cast<uint16_t>(DigitsValue(revision));
  }
  return parsed;
}

std::string FormatKeyNumber(absl::string_view prefix, uint32_t number,
                            uint16_t revision) {
  return absl::StrCat(prefix, ".", absl::Dec(number, absl::kZeroPad8), ".",
                      absl::Dec(revision, absl::kZeroPad4));
}

}  // namespace ka_mock
