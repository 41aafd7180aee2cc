#include "bench/report_file.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "bench/text_file.h"

namespace lss::bench {
namespace {

constexpr char kDefaultIntro[] =
    R"(# Benchmarks

The performance targets of DESIGN.md §5, measured by `tools/bench` (the
`lss-bench` program) on MariaDB and on SQLite, a section each. Every figure
is the median of its runs; every ratio compares figures of the same run.
Reproduce with `tools/bench/run-benchmarks.sh` (see each section's
"Commands" for exactly what ran). The tool rewrites everything below the
intro markers; edit only this intro.
)";

// "<!-- lss-bench block: mariadb -->" ... "<!-- lss-bench end of block: mariadb -->".
std::string BlockBegin(absl::string_view name) { return absl::StrCat("<!-- lss-bench block: ", name, " -->"); }
std::string BlockEnd(absl::string_view name) { return absl::StrCat("<!-- lss-bench end of block: ", name, " -->"); }

struct ReportParts {
  std::string intro;                                       // markers included
  std::map<std::string, std::string, std::less<>> blocks;  // name -> block, markers included
};

// The introduction and blocks of the file at `path`, or a default
// introduction and no block.
ReportParts ReadParts(const std::string& path) {
  ReportParts parts;
  parts.intro = absl::StrCat(kIntroBegin, "\n", kDefaultIntro, kIntroEnd);
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return parts;
  const std::string& old = *text;
  const size_t begin = old.find(kIntroBegin);
  const size_t end = old.find(kIntroEnd);
  if (begin == std::string::npos || end == std::string::npos || begin > end) return parts;
  const size_t intro_end = end + std::string(kIntroEnd).size();
  parts.intro = old.substr(0, intro_end);
  const std::string opening = "<!-- lss-bench block: ";
  for (size_t at = old.find(opening, intro_end); at != std::string::npos; at = old.find(opening, at + 1)) {
    const size_t name_end = old.find(" -->", at);
    if (name_end == std::string::npos) break;
    const std::string name = old.substr(at + opening.size(), name_end - at - opening.size());
    const size_t close = old.find(BlockEnd(name), name_end);
    if (close == std::string::npos) continue;  // a block cut short is dropped
    parts.blocks[name] = old.substr(at, close + BlockEnd(name).size() - at);
  }
  return parts;
}

}  // namespace

absl::Status WriteReportFile(const std::string& path, absl::string_view block, const std::string& generated) {
  ReportParts parts = ReadParts(path);
  parts.blocks[std::string(block)] =
      absl::StrCat(BlockBegin(block), "\n\n", absl::StripTrailingAsciiWhitespace(generated), "\n\n", BlockEnd(block));
  std::vector<std::string> pieces = {parts.intro};
  for (const auto& [name, text] : parts.blocks) pieces.push_back(text);
  return WriteFileAtomically(path, absl::StrCat(absl::StrJoin(pieces, "\n\n"), "\n"));
}

}  // namespace lss::bench
