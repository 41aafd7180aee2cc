// A scenario's figures: what it injected, how big it ran, what it measured.
// Printed to stdout at the end of the scenario as a small markdown section,
// and appended to the file LSS_RELIABILITY_REPORT names (when set), from
// which tools/reliability/run-scenarios.sh assembles docs/RELIABILITY.md's
// "last figures". Not thread-safe: the test's thread fills it.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace lss::reliability {

class ScenarioReport {
 public:
  // `title`: e.g. "(a) MariaDB restarted mid-SyncAll".
  explicit ScenarioReport(std::string title);
  // Writes the section if Write() was not called, with the current test's
  // verdict: an ASSERT that ends the test early still leaves its figures.
  ~ScenarioReport();

  template <typename... Parts>
  void Add(const std::string& figure, const Parts&... value) {
    rows_.emplace_back(figure, absl::StrCat(value...));
  }
  void AddDuration(const std::string& figure, absl::Duration d);

  // Prints and appends the section, with the verdict; once.
  void Write(bool passed);

 private:
  const std::string title_;
  const absl::Time start_;
  std::vector<std::pair<std::string, std::string>> rows_;
  bool written_ = false;
};

// Seconds with one decimal, for the figures.
std::string Seconds(absl::Duration d);

}  // namespace lss::reliability
