// Whether a file that configures who may do what, or holds a secret, is
// safe to trust (issue 15): a token file, TLS key or password file that
// other users may write lets them grant themselves access or swap the
// server's identity; a key or password that other users may read is no
// longer a secret. Such files are refused at start, the error naming the
// setting, the file and its mode, and the chmod that fixes it (as ssh does
// for its keys).
//
// Thread-safe: reads only the file system.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace lss {

enum class FileTrust {
  kConfiguration,  // who may do what: no one but the owner (and root) may write it
  kSecret,         // also: not readable by others than the owner and its group
};

// OK when `path` may be trusted as `trust` says; FAILED_PRECONDITION
// (reason INSECURE_FILE_PERMISSIONS) naming `setting` (e.g.
// "--auth_tokens_file"), the path and its mode otherwise. A file that
// cannot be stat()ed is left to the reader, whose error says why.
absl::Status CheckFilePermissions(absl::string_view setting, const std::string& path, FileTrust trust);

}  // namespace lss
