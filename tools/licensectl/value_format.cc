#include "licensectl/value_format.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"

namespace licensectl {

std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", absl::FromUnixSeconds(timestamp.seconds()),
                          absl::UTCTimeZone());
}

std::string ShortEnumName(const google::protobuf::EnumDescriptor& type, int number,
                          absl::string_view prefix) {
  const google::protobuf::EnumValueDescriptor* value = type.FindValueByNumber(number);
  if (value == nullptr) return absl::StrCat("UNKNOWN_", number);
  return std::string(absl::StripPrefix(value->name(), prefix));
}

std::string TitleCase(absl::string_view upper_snake_case) {
  std::vector<std::string> words = absl::StrSplit(upper_snake_case, '_', absl::SkipEmpty());
  for (std::string& word : words) {
    absl::AsciiStrToLower(&word);
    word[0] = absl::ascii_toupper(static_cast<unsigned char>(word[0]));
  }
  return absl::StrJoin(words, " ");
}

}  // namespace licensectl
