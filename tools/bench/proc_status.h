// Memory figures of a running process, read from /proc/PID/status. Linux
// only, as the benchmark is.
#pragma once

#include <sys/types.h>

#include <cstdint>

#include "absl/status/statusor.h"

namespace lss::bench {

struct ProcessMemory {
  int64_t peak_resident_kib = 0;  // VmHWM: the most ever resident
  int64_t resident_kib = 0;       // VmRSS: resident now
};

// NOT_FOUND when the process is gone. Thread-safe.
absl::StatusOr<ProcessMemory> ReadProcessMemory(pid_t pid);

}  // namespace lss::bench
