// What Ctrl-C (or SIGTERM) leaves behind. The servers die with the
// benchmark anyway (the harness asks the kernel to kill them when their
// parent goes), but their folders would stay: a million licenses is
// gigabytes of MariaDB data under $TMPDIR. So the folders are registered
// here, and a signal removes them before the process exits.
//
// Thread-safe.
#pragma once

#include <string>

namespace lss::bench {

// Blocks SIGINT and SIGTERM and starts the thread that waits for them.
// Call first in main(), before any other thread exists (threads inherit
// the mask; the harness unblocks signals again in the programs it starts).
void InstallInterruptCleanup();

// `path` (a folder) is removed, with everything in it, on interruption.
void RemoveOnInterrupt(const std::string& path);

}  // namespace lss::bench
