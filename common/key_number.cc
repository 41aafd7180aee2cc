#include "common/key_number.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/status/error_details.h"

namespace lss {
namespace {

bool AllOf(absl::string_view s, int (*pred)(int)) {
  for (char c : s) {
    if (!pred(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

int IsUpperAscii(int c) { return c >= 'A' && c <= 'Z'; }
int IsDigitAscii(int c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string KeyNumber::Base() const { return absl::StrCat(prefix, ".", number); }

std::string KeyNumber::ToString() const {
  if (!revision) return Base();
  return absl::StrFormat("%s.%04d", Base(), *revision);
}

absl::StatusOr<KeyNumber> ParseKeyNumber(absl::string_view text, absl::string_view field) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, '.');
  const bool shape_ok = (parts.size() == 2 || parts.size() == 3) && parts[0].size() >= 2 &&
                        parts[0].size() <= 8 && AllOf(parts[0], IsUpperAscii) &&
                        parts[1].size() == 8 && AllOf(parts[1], IsDigitAscii) &&
                        (parts.size() == 2 || (parts[2].size() == 4 && AllOf(parts[2], IsDigitAscii)));
  if (!shape_ok) {
    return InvalidArgumentError(
        field, "must look like PLSK.00012345.0001 (PREFIX.NNNNNNNN, optionally .RRRR)",
        "MALFORMED_KEY_NUMBER");
  }
  KeyNumber key;
  key.prefix = std::string(parts[0]);
  key.number = std::string(parts[1]);
  if (parts.size() == 3) {
    int revision = 0;
    for (char c : parts[2]) revision = revision * 10 + (c - '0');
    key.revision = revision;
  }
  return key;
}

}  // namespace lss
