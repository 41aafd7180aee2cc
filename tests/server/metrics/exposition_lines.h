// Reads one sample out of a scrape, for tests that check a few series of a
// large exposition.
#pragma once

#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"

namespace lss::testing {

// The value of the sample written exactly as `series` (`name{labels}`, as
// rendered), or nullopt when the scrape has no such line.
inline absl::optional<double> SampleValue(absl::string_view exposition, absl::string_view series) {
  for (absl::string_view line : absl::StrSplit(exposition, '\n')) {
    if (line.size() > series.size() && line.substr(0, series.size()) == series && line[series.size()] == ' ') {
      double value = 0;
      if (absl::SimpleAtod(line.substr(series.size() + 1), &value)) return value;
    }
  }
  return absl::nullopt;
}

}  // namespace lss::testing
