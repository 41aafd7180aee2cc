#include "tests/harness/exit_status.h"

#include <sys/wait.h>

#include <cstring>

#include "absl/strings/str_cat.h"

namespace lss::harness {

ExitStatus ExitStatus::FromWaitStatus(int wait_status) {
  if (WIFSIGNALED(wait_status)) return KilledBy(WTERMSIG(wait_status));
  return Exited(WEXITSTATUS(wait_status));
}

std::string ExitStatus::ToString() const {
  if (exited()) return absl::StrCat("exited with code ", value_);
  // sigabbrev_np, unlike strsignal, never writes to a shared buffer.
  const char* name = sigabbrev_np(value_);
  return absl::StrCat("killed by signal ", value_, " (SIG",
                      name != nullptr ? name : "?", ")");
}

}  // namespace lss::harness
