// licensectl's exit codes: the contract with operators' scripts.
//
//   0    success; for `sync`, the license is In Sync; for `sync-all` and
//        `watch`, the job succeeded and found every license In Sync (or
//        skipped it), with no error; for `upgrade`, the order was placed and
//        the license is In Sync, or the session waits for --yes, or was
//        cancelled; for `upgrade` and `terminate`, also when the operator
//        answered no (nothing changed: declining is a choice, not a failure)
//   1    the call failed: the server answered with an error, or could not be
//        reached (the error is printed to stderr); for `sync-all` and
//        `watch`, also a job that did not check every license: it failed,
//        was cancelled, or some licenses' syncs failed (KA errors); for
//        `upgrade`, also a resumed session that has ended
//   2    usage error: unknown command or option, missing or malformed argument
//        (the command's usage is printed to stderr); for `upgrade` and
//        `terminate`, also a confirmation that cannot be asked (no --yes
//        without a terminal) or an input that ended before the answer
//   3    Not In Sync: `sync`, the license is (the sync itself succeeded);
//        `sync-all` and `watch`, the job succeeded and found some licenses
//        Not In Sync (list them with `list --status not-in-sync`);
//        `upgrade`, the order was placed but KA's answer left the license
//        Not In Sync (the mismatches are printed)
//   130  `sync-all` and `watch` only: Ctrl-C detached from the job, which
//        keeps running on the server (130 is what shells report for Ctrl-C,
//        so `set -e` scripts stop as they would for any interrupted command)
//
// `get`, `list`, `history`, `jobs` and `daily-runs` exit 0 whatever the sync
// status of what they show: they report; `sync`, `sync-all` and `watch`
// judge. The codes are the same with --json.
#pragma once

namespace licensectl {

enum class ExitCode : int {
  kSuccess = 0,
  kCallFailed = 1,
  kUsageError = 2,
  kNotInSync = 3,
  kDetached = 130,
};

}  // namespace licensectl
