#include "bench/proc_status.h"

#include <fstream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace lss::bench {
namespace {

// "VmHWM:\t  123456 kB" -> 123456 when `line` starts with `key`.
bool ReadKib(absl::string_view line, absl::string_view key, int64_t& kib) {
  if (!absl::ConsumePrefix(&line, key)) return false;
  line = absl::StripAsciiWhitespace(line);
  absl::ConsumeSuffix(&line, "kB");
  return absl::SimpleAtoi(absl::StripAsciiWhitespace(line), &kib);
}

}  // namespace

absl::StatusOr<ProcessMemory> ReadProcessMemory(pid_t pid) {
  const std::string path = absl::StrCat("/proc/", pid, "/status");
  std::ifstream status(path);
  if (!status) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  ProcessMemory memory;
  bool peak_found = false;
  for (std::string line; std::getline(status, line);) {
    if (ReadKib(line, "VmHWM:", memory.peak_resident_kib)) peak_found = true;
    ReadKib(line, "VmRSS:", memory.resident_kib);
  }
  // A zombie has a status file without memory lines.
  if (!peak_found) return absl::NotFoundError(absl::StrCat(path, " has no VmHWM: process exited"));
  return memory;
}

}  // namespace lss::bench
