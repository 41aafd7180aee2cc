// licensectl's exit codes: the contract with operators' scripts.
//
//   0  success; for `sync`, the license is In Sync
//   1  the call failed: the server answered with an error, or could not be
//      reached (the error is printed to stderr)
//   2  usage error: unknown command or option, missing or malformed argument
//      (the command's usage is printed to stderr)
//   3  `sync` only: the license is Not In Sync (the sync itself succeeded)
//
// `get` and `list` exit 0 whatever the sync status of what they show: they
// report; only `sync` judges. The codes are the same with --json.
#pragma once

namespace licensectl {

enum class ExitCode : int {
  kSuccess = 0,
  kCallFailed = 1,
  kUsageError = 2,
  kNotInSync = 3,
};

}  // namespace licensectl
