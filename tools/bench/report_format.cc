#include "bench/report_format.h"

#include <cmath>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "bench/stats.h"

namespace lss::bench {

std::string Thousands(double value) {
  const int64_t rounded = std::llround(value);
  std::string digits = absl::StrCat(rounded < 0 ? -rounded : rounded);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return rounded < 0 ? "-" + out : out;
}

std::string PerSecond(double value) { return value > 0 ? absl::StrCat(Thousands(value), "/s") : "—"; }
std::string Percent(double ratio) { return absl::StrFormat("%.0f%%", ratio * 100); }
std::string Signed(double change) { return absl::StrFormat("%+.1f%%", change * 100); }
std::string Ms(absl::Duration d) { return absl::StrFormat("%.2f ms", absl::ToDoubleMilliseconds(d)); }
std::string Latency(absl::Duration d) {
  return d < absl::Microseconds(100) ? absl::StrFormat("%.1f µs", absl::ToDoubleMicroseconds(d)) : Ms(d);
}
std::string Seconds(absl::Duration d) { return absl::StrFormat("%.1f s", absl::ToDoubleSeconds(d)); }
std::string Minutes(absl::Duration d) { return absl::StrFormat("%.1f min", absl::ToDoubleMinutes(d)); }
std::string MiB(double kib) { return absl::StrFormat("%.1f MiB", kib / 1024); }
std::string Verdict(bool met) { return met ? "**met**" : "**missed**"; }

std::string Row(const std::vector<std::string>& cells) {
  return absl::StrCat("| ", absl::StrJoin(cells, " | "), " |\n");
}

std::string Header(const std::vector<std::string>& cells) {
  return absl::StrCat(Row(cells), "|", absl::StrJoin(std::vector<std::string>(cells.size(), " --- "), "|"), "|\n");
}

std::vector<std::string> RunColumns(const BenchResults& results) {
  std::vector<std::string> cells;
  for (size_t r = 1; r <= results.runs.size(); ++r) cells.push_back(absl::StrCat("run ", r));
  return cells;
}

double MedianOverRuns(const BenchResults& results,
                      const std::function<std::optional<double>(const RunResults&)>& value) {
  std::vector<double> values;
  for (const RunResults& run : results.runs) {
    if (std::optional<double> v = value(run); v && *v > 0) values.push_back(*v);
  }
  return Median(values);
}

}  // namespace lss::bench
