// Labelled values, one per line, with the values aligned in one column:
// the detail view of one object (a license, an upgrade session, an order).
//
//   License ID:       7
//   Additional keys:  KAV.00005821.0001 (KASPERSKY_ANTIVIRUS)
//                     KAV.00005822.0001 (KASPERSKY_ANTIVIRUS)
//   Sync status:      Not In Sync: capacity changed (billing 100, KA 300)
//     - CAPACITY_CHANGED: billing 100, KA 300
//
// Values hold the server's strings, so each line is made one safe line as
// it is added (TerminalSafeField): a newline in a server's value cannot
// start a line of its own, nor an escape sequence reach the terminal. A
// value of several lines says so with AddLines.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace licensectl {

class FieldList {
 public:
  // A labelled value of one line.
  void Add(absl::string_view label, absl::string_view value);

  // A labelled value of several lines, each further one starting under the
  // first one's value; no lines shows as an empty value.
  void AddLines(absl::string_view label, const std::vector<std::string>& lines);

  // A line printed as given, outside the alignment (e.g. the mismatches
  // listed under the sync status).
  void AddDetail(absl::string_view line);

  // Every line, each ending in '\n'.
  std::string Render() const;

 private:
  struct Line {
    // Empty for a detail line.
    std::string label;
    // One at least.
    std::vector<std::string> value_lines;
    bool is_detail = false;
  };
  std::vector<Line> lines_;
};

}  // namespace licensectl
