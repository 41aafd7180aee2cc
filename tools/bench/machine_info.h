// What the figures were measured on: they mean little without it.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lss::bench {

struct MachineInfo {
  std::string cpu_model;   // /proc/cpuinfo "model name"
  int cores = 0;           // online CPUs
  int64_t memory_kib = 0;  // /proc/meminfo MemTotal
  std::string kernel;      // uname -r
  std::string os;          // /etc/os-release PRETTY_NAME
  std::string build_type;  // CMAKE_BUILD_TYPE of this binary
  std::string compiler;    // e.g. "GCC 12.2.0"
  std::string grpc_version;
  std::string database_version;  // filled in by the caller (DatabaseHost::Version)
};

// Reads everything but database_version. Never fails: unknown fields say
// "unknown".
MachineInfo ReadMachineInfo();

// The 1-minute load average (/proc/loadavg), -1 if unknown: how busy the
// machine was besides the benchmark shows in it.
double LoadAverage();

// Bytes free for an unprivileged user in the file system holding `path`.
absl::StatusOr<int64_t> FreeDiskBytes(absl::string_view path);

}  // namespace lss::bench
