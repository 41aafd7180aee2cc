#include "bench/machine_info.h"

#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "grpcpp/grpcpp.h"

#ifndef LSS_BENCH_BUILD_TYPE
#define LSS_BENCH_BUILD_TYPE "unknown"
#endif

namespace lss::bench {
namespace {

// The value after "key" and a separator (':' or '=') on the first matching
// line of `path`, unquoted; empty if there is none.
std::string FirstValue(const std::string& path, absl::string_view key) {
  std::ifstream file(path);
  for (std::string line; std::getline(file, line);) {
    absl::string_view rest = line;
    if (!absl::ConsumePrefix(&rest, key)) continue;
    rest = absl::StripLeadingAsciiWhitespace(rest);
    if (!absl::ConsumePrefix(&rest, ":") && !absl::ConsumePrefix(&rest, "=")) continue;
    rest = absl::StripAsciiWhitespace(rest);
    absl::ConsumePrefix(&rest, "\"");
    absl::ConsumeSuffix(&rest, "\"");
    return std::string(rest);
  }
  return "";
}

std::string OrUnknown(std::string value) { return value.empty() ? "unknown" : value; }

}  // namespace

MachineInfo ReadMachineInfo() {
  MachineInfo info;
  info.cpu_model = OrUnknown(FirstValue("/proc/cpuinfo", "model name"));
  info.cores = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  std::string mem_total = FirstValue("/proc/meminfo", "MemTotal");
  absl::string_view kib = mem_total;
  absl::ConsumeSuffix(&kib, "kB");
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(kib), &info.memory_kib)) info.memory_kib = 0;
  utsname name{};
  info.kernel = uname(&name) == 0 ? name.release : "unknown";
  info.os = OrUnknown(FirstValue("/etc/os-release", "PRETTY_NAME"));
  info.build_type = LSS_BENCH_BUILD_TYPE;
#if defined(__clang__)
  info.compiler = absl::StrCat("Clang ", __clang_major__, ".", __clang_minor__, ".", __clang_patchlevel__);
#elif defined(__GNUC__)
  info.compiler = absl::StrCat("GCC ", __GNUC__, ".", __GNUC_MINOR__, ".", __GNUC_PATCHLEVEL__);
#else
  info.compiler = "unknown";
#endif
  info.grpc_version = grpc::Version();
  info.database_version = "unknown";
  return info;
}

double LoadAverage() {
  std::ifstream file("/proc/loadavg");
  double one_minute = -1;
  if (!(file >> one_minute)) return -1;
  return one_minute;
}

absl::StatusOr<int64_t> FreeDiskBytes(absl::string_view path) {
  struct statvfs fs {};
  if (statvfs(std::string(path).c_str(), &fs) != 0) {
    return absl::FailedPreconditionError(absl::StrCat("statvfs ", path, " failed"));
  }
  return static_cast<int64_t>(fs.f_bavail) * static_cast<int64_t>(fs.f_frsize);
}

}  // namespace lss::bench
