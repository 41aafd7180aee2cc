#include "bench/report_file.h"

#include "absl/strings/str_cat.h"
#include "bench/text_file.h"

namespace lss::bench {
namespace {

constexpr char kDefaultIntro[] =
    R"(# Benchmarks

The performance targets of DESIGN.md §5, measured by `tools/bench` (the
`lss-bench` program) on MariaDB. Every figure is the median of its runs;
every ratio compares figures of the same run. Reproduce with
`tools/bench/run-benchmarks.sh` (see "Commands" below for exactly what ran).
The tool rewrites everything below the intro markers; edit only this intro.
)";

// The introduction of the file at `path`, markers included, or the default
// one.
std::string KeptIntro(const std::string& path) {
  if (absl::StatusOr<std::string> text = ReadWholeFile(path); text.ok()) {
    const std::string& old = *text;
    const size_t begin = old.find(kIntroBegin);
    const size_t end = old.find(kIntroEnd);
    if (begin != std::string::npos && end != std::string::npos && begin < end) {
      return old.substr(0, end + std::string(kIntroEnd).size());
    }
  }
  return absl::StrCat(kIntroBegin, "\n", kDefaultIntro, kIntroEnd);
}

}  // namespace

absl::Status WriteReportFile(const std::string& path, const std::string& generated) {
  return WriteFileAtomically(path, absl::StrCat(KeptIntro(path), "\n\n", generated));
}

}  // namespace lss::bench
