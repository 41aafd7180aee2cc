// FindExecutable: where a program the harness runs lives on this machine.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lss::harness {

// Returns `name` itself if it contains a '/', otherwise the first executable
// file called `name` in $PATH, then /usr/local/sbin, /usr/local/bin,
// /usr/sbin, /usr/bin, /sbin, /bin. The sbin folders are searched because
// Debian installs mariadbd in /usr/sbin, which a non-root PATH (CI runners,
// IDEs) often lacks. NotFoundError names the folders searched. Thread-safe.
absl::StatusOr<std::string> FindExecutable(absl::string_view name);

}  // namespace lss::harness
