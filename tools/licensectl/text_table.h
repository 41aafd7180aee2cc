// A plain-text table whose columns are as wide as their content, for
// listings. One row per line, columns two spaces apart, no trailing blanks,
// so that it reads well in a terminal and splits well with awk. Cells hold
// the server's values, so each is made one safe line as it is added
// (TerminalSafeField: a newline or an escape sequence in a key number can
// neither break the table nor reach the terminal), and columns are
// measured on the text as it will show.
#pragma once

#include <string>
#include <vector>

namespace licensectl {

class TextTable {
 public:
  enum class Align { kLeft, kRight };

  struct Column {
    std::string header;
    // Numbers read best aligned right.
    Align align = Align::kLeft;
  };

  explicit TextTable(std::vector<Column> columns);

  // One cell per column; a short row is padded with empty cells and extra
  // cells are dropped, so that a row never shifts the columns after it.
  void AddRow(std::vector<std::string> cells);

  bool empty() const { return rows_.empty(); }

  // The header line and every row, each ending in '\n'. Widths count
  // characters (DisplayWidth), not bytes: a replaced control (U+FFFD) or
  // a non-ASCII letter takes one column.
  std::string Render() const;

  // The rows alone, without the header line: columns inside another
  // layout (e.g. one value of a FieldList).
  std::string RenderRows() const;

 private:
  std::string RenderLines(bool with_header) const;

  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace licensectl
