// Operators type `--ka-address` (DESIGN.md §3 names the flags with dashes);
// Abseil flags are C++ identifiers and so spelt `--ka_address`. This rewrites
// the dashes in a flag's *name* (never in its value) before parsing, so both
// spellings work.
#pragma once

#include <string>
#include <vector>

namespace lss {

// Returns argv with "--some-flag[=value]" rewritten to "--some_flag[=value]".
std::vector<std::string> NormalizeFlagSpelling(int argc, char** argv);

}  // namespace lss
