#include "licensectl/field_list.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace licensectl {
namespace {

// Blanks between the longest label's colon and the values.
constexpr size_t kGap = 2;

}  // namespace

void FieldList::Add(absl::string_view label, absl::string_view value) {
  lines_.push_back({std::string(label), std::string(value), false});
}

void FieldList::AddDetail(absl::string_view line) { lines_.push_back({"", std::string(line), true}); }

std::string FieldList::Render() const {
  size_t value_column = 0;
  for (const Line& line : lines_) {
    if (!line.is_detail) value_column = std::max(value_column, line.label.size() + 1 + kGap);
  }

  std::string text;
  for (const Line& line : lines_) {
    if (line.is_detail) {
      absl::StrAppend(&text, line.value, "\n");
      continue;
    }
    const std::string head = absl::StrCat(line.label, ":");
    bool first = true;
    for (absl::string_view part : absl::StrSplit(line.value, '\n')) {
      std::string out = first ? head : "";
      out.resize(value_column, ' ');
      out.append(part.data(), part.size());
      // An empty value (or an empty line in one) must not leave blanks at
      // the end of the line.
      out.erase(out.find_last_not_of(' ') + 1);
      absl::StrAppend(&text, out, "\n");
      first = false;
    }
  }
  return text;
}

}  // namespace licensectl
