// PrintLogTailIfTestFailed: puts the end of a child's log into the test
// output when the current test has failed.
//
// The harness's processes log into temporary folders that are removed when
// the test ends, so the one moment to show why a server misbehaved is while
// it is being torn down. Passing tests stay quiet.
#pragma once

#include "tests/harness/process.h"

namespace lss::harness {

// Writes the last `lines` lines of `process`'s log to stderr if the running
// GoogleTest test has a failure. Call it from the destructor of an object
// that owns a ChildProcess. Thread-safe.
void PrintLogTailIfTestFailed(const ChildProcess& process, int lines = 60);

}  // namespace lss::harness
