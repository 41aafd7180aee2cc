#include "licensectl/terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <iostream>

#include "licensectl/terminal_safe_output.h"

namespace licensectl {
namespace {

absl::optional<TerminalInfo>& Override() {
  static absl::optional<TerminalInfo> override_info;
  return override_info;
}

}  // namespace

TerminalInfo DescribeOutput(const std::ostream& out) {
  if (Override().has_value()) return *Override();
  TerminalInfo info;
  // licensectl writes to std::cout through a TerminalSafeOutput.
  if (&FinalDestination(out) != &std::cout || isatty(STDOUT_FILENO) == 0) return info;
  info.is_terminal = true;
  winsize size = {};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) info.width = size.ws_col;
  return info;
}

ScopedTerminalOverride::ScopedTerminalOverride(TerminalInfo info) { Override() = info; }

ScopedTerminalOverride::~ScopedTerminalOverride() { Override().reset(); }

}  // namespace licensectl
