#include "tests/reliability/scenario_report.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "tests/reliability/scale.h"

namespace lss::reliability {

ScenarioReport::ScenarioReport(std::string title) : title_(std::move(title)), start_(absl::Now()) {}

ScenarioReport::~ScenarioReport() { Write(!::testing::Test::HasFailure()); }

std::string Seconds(absl::Duration d) { return absl::StrFormat("%.1f s", absl::ToDoubleSeconds(d)); }

void ScenarioReport::AddDuration(const std::string& figure, absl::Duration d) { Add(figure, Seconds(d)); }

void ScenarioReport::Write(bool passed) {
  if (written_) return;
  written_ = true;
  std::ostringstream out;
  out << "### " << title_ << "\n\n"
      << "Size `" << CurrentScale().name << "`, "
      << absl::FormatTime("%Y-%m-%d %H:%M UTC", start_, absl::UTCTimeZone()) << ", "
      << Seconds(absl::Now() - start_) << " in all, **" << (passed ? "passed" : "FAILED") << "**.\n\n"
      << "| figure | value |\n| --- | --- |\n";
  for (const auto& [figure, value] : rows_) out << "| " << figure << " | " << value << " |\n";
  out << "\n";
  std::cout << out.str() << std::flush;
  if (const char* path = std::getenv("LSS_RELIABILITY_REPORT"); path != nullptr && *path != '\0') {
    std::ofstream file(path, std::ios::app);
    file << out.str();
    if (!file.good()) std::cerr << "cannot append the figures to " << path << "\n";
  }
}

}  // namespace lss::reliability
