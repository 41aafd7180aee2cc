#include "licensectl/text_table.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "licensectl/terminal_safe_text.h"

namespace licensectl {
namespace {

constexpr char kColumnGap[] = "  ";

}  // namespace

TextTable::TextTable(std::vector<Column> columns) : columns_(std::move(columns)) {
  for (Column& column : columns_) column.header = TerminalSafeField(column.header);
}

void TextTable::AddRow(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  for (std::string& cell : cells) cell = TerminalSafeField(cell);
  rows_.push_back(std::move(cells));
}

std::string TextTable::Render() const { return RenderLines(/*with_header=*/true); }

std::string TextTable::RenderRows() const { return RenderLines(/*with_header=*/false); }

std::string TextTable::RenderLines(bool with_header) const {
  std::vector<size_t> widths;
  widths.reserve(columns_.size());
  for (const Column& column : columns_) widths.push_back(with_header ? DisplayWidth(column.header) : 0);
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  }

  auto render_line = [&](auto cell_text) {
    std::string line;
    for (size_t i = 0; i < columns_.size(); ++i) {
      const std::string& cell = cell_text(i);
      const std::string padding(widths[i] - DisplayWidth(cell), ' ');
      if (i > 0) line += kColumnGap;
      if (columns_[i].align == Align::kRight) {
        absl::StrAppend(&line, padding, cell);
      } else {
        absl::StrAppend(&line, cell, padding);
      }
    }
    // Padding of a left-aligned last column (or empty cells) would only
    // leave blanks at the end of the line.
    line.erase(line.find_last_not_of(' ') + 1);
    line += '\n';
    return line;
  };

  std::string text;
  if (with_header) text = render_line([&](size_t i) -> const std::string& { return columns_[i].header; });
  for (const auto& row : rows_) {
    text += render_line([&](size_t i) -> const std::string& { return row[i]; });
  }
  return text;
}

}  // namespace licensectl
