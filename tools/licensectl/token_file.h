// --token-file: the bearer token read from a file, so that it never sits on
// a command line, where every local user sees it (ps, /proc/PID/cmdline)
// and shells keep it in their history.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace licensectl {

// The token in the file at `path`, surrounding blanks and the final
// newline dropped. INVALID_ARGUMENT, with a message naming the file for the
// operator, when the file cannot be read, is empty (blanks only), is larger
// than any token, or may be read or written by anyone but its owner (a
// group or other permission bit: the file holds a secret, so licensectl
// refuses it as ssh refuses such a private key, rather than use a token
// others may have read or replaced). Never puts the file's contents in a
// message.
absl::StatusOr<std::string> ReadTokenFile(const std::string& path);

}  // namespace licensectl
