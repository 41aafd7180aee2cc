// Whole files as strings: the benchmark's processes hand each other small
// facts through files (a port, a job id, a report), and a reader polling a
// file must never see half of one.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace lss::bench {

// Writes `content` to `path` through a temporary file renamed over it, so
// that a reader sees the old file, no file, or all of the new one.
absl::Status WriteFileAtomically(const std::string& path, const std::string& content);

// NOT_FOUND when there is no such file.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

}  // namespace lss::bench
