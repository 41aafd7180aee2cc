#include "licensectl/field_list.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "licensectl/terminal_safe_text.h"

namespace licensectl {
namespace {

// Blanks between the longest label's colon and the values.
constexpr size_t kGap = 2;

}  // namespace

void FieldList::Add(absl::string_view label, absl::string_view value) {
  lines_.push_back({TerminalSafeField(label), {TerminalSafeField(value)}, false});
}

void FieldList::AddLines(absl::string_view label, const std::vector<std::string>& lines) {
  Line line{TerminalSafeField(label), {}, false};
  for (const std::string& value_line : lines) line.value_lines.push_back(TerminalSafeField(value_line));
  if (line.value_lines.empty()) line.value_lines.emplace_back();
  lines_.push_back(std::move(line));
}

void FieldList::AddDetail(absl::string_view line) { lines_.push_back({"", {TerminalSafeField(line)}, true}); }

std::string FieldList::Render() const {
  size_t value_column = 0;
  for (const Line& line : lines_) {
    if (!line.is_detail) value_column = std::max(value_column, DisplayWidth(line.label) + 1 + kGap);
  }

  std::string text;
  for (const Line& line : lines_) {
    if (line.is_detail) {
      absl::StrAppend(&text, line.value_lines.front(), "\n");
      continue;
    }
    const std::string head = absl::StrCat(line.label, ":");
    bool first = true;
    for (const std::string& part : line.value_lines) {
      std::string out = first ? head : "";
      out.append(value_column - DisplayWidth(out), ' ');
      out += part;
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
