// Whether licensectl's output goes to a terminal, and how wide it is: an
// operator at a terminal gets a live progress bar redrawn in place; a pipe,
// a log file or CI gets plain lines. The answer is injectable so that unit
// tests can render the terminal form into a string stream.
#pragma once

#include <ostream>

#include "absl/types/optional.h"

namespace licensectl {

struct TerminalInfo {
  bool is_terminal = false;
  // Columns; the live bar fits its line into them, since a line that wraps
  // cannot be redrawn with '\r'.
  int width = 80;
};

// What `out` writes to: a terminal only when it is (or writes through a
// TerminalSafeOutput to) the process's std::cout and standard output is a
// tty (isatty); the width from the tty (80 when it
// does not say). Any other stream (a string stream in tests, a file) is not
// a terminal. An override set by ScopedTerminalOverride answers instead.
TerminalInfo DescribeOutput(const std::ostream& out);

// For tests: while it lives, DescribeOutput answers `info` for every
// stream. Not thread-safe; not nestable.
class ScopedTerminalOverride {
 public:
  explicit ScopedTerminalOverride(TerminalInfo info);
  ~ScopedTerminalOverride();
  ScopedTerminalOverride(const ScopedTerminalOverride&) = delete;
  ScopedTerminalOverride& operator=(const ScopedTerminalOverride&) = delete;
};

}  // namespace licensectl
