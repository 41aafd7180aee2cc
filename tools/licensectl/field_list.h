// Labelled values, one per line, with the values aligned in one column:
// the detail view of one object (a license today; later a job, an upgrade).
//
//   License ID:       7
//   Additional keys:  KAV.00005821.0001 (KASPERSKY_ANTIVIRUS)
//                     KAV.00005822.0001 (KASPERSKY_ANTIVIRUS)
//   Sync status:      Not In Sync: capacity changed (billing 100, KA 300)
//     - CAPACITY_CHANGED: billing 100, KA 300
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace licensectl {

class FieldList {
 public:
  // A labelled value. Each further line of a multi-line value starts under
  // the first line's value.
  void Add(absl::string_view label, absl::string_view value);

  // A line printed as given, outside the alignment (e.g. the mismatches
  // listed under the sync status).
  void AddDetail(absl::string_view line);

  // Every line, each ending in '\n'.
  std::string Render() const;

 private:
  struct Line {
    // Empty for a detail line.
    std::string label;
    std::string value;
    bool is_detail = false;
  };
  std::vector<Line> lines_;
};

}  // namespace licensectl
