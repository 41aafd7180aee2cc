// A plain-text table whose columns are as wide as their content, for
// listings. One row per line, columns two spaces apart, no trailing blanks,
// so that it reads well in a terminal and splits well with awk.
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
  // bytes: the values shown (numbers, key numbers, KA's API names, dates)
  // are ASCII.
  std::string Render() const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace licensectl
