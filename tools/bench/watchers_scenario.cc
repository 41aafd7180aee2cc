#include "bench/watchers_scenario.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "bench/bench_log.h"
#include "bench/text_file.h"

namespace lss::bench {
namespace {

// The fleet's files, named per fleet.
struct FleetFiles {
  std::string ready;
  std::string job_id;
  std::string report;
};

FleetFiles NewFleetFiles(const std::string& dir) {
  static int fleets = 0;  // main thread only
  const std::string stem = absl::StrCat(dir, "/watchers-", ++fleets);
  return {stem + ".ready", stem + ".job", stem + ".report"};
}

// Starts the fleet and waits until it is connected.
absl::StatusOr<std::unique_ptr<harness::ChildProcess>> StartFleet(BenchStack& stack, const BenchConfig& config,
                                                                  const FleetFiles& files) {
  harness::ChildProcessOptions options;
  options.binary = config.self_path;
  options.name = "watchers";
  options.log_dir = stack.work_dir();
  options.args = {"--mode=watchers",
                  absl::StrCat("--target=", stack.server().address()),
                  absl::StrCat("--ready_file=", files.ready),
                  absl::StrCat("--job_id_file=", files.job_id),
                  absl::StrCat("--watchers=", config.watchers),
                  absl::StrCat("--watcher_connections=", config.watcher_connections),
                  absl::StrCat("--report_file=", files.report)};
  absl::StatusOr<std::unique_ptr<harness::ChildProcess>> fleet = harness::ChildProcess::Start(options);
  if (!fleet.ok()) return fleet.status();
  harness::ChildProcess& process = **fleet;
  harness::WaitFor([&] { return ReadWholeFile(files.ready).ok() || !process.IsRunning(); }, absl::Minutes(1));
  if (!ReadWholeFile(files.ready).ok()) {
    return absl::UnavailableError(absl::StrCat("the watcher process did not get ready: ", process.LogTail(10)));
  }
  return fleet;
}

// Hands the job to the fleet and waits for it to finish watching.
absl::StatusOr<WatchFleetReport> WatchJob(harness::ChildProcess& fleet, SyncAllCall& call, const FleetFiles& files,
                                          absl::Duration timeout) {
  absl::StatusOr<std::string> job_id = call.WaitForJobId(absl::Minutes(1));
  if (!job_id.ok()) return job_id.status();
  if (absl::Status told = WriteFileAtomically(files.job_id, *job_id); !told.ok()) return told;
  absl::StatusOr<harness::ExitStatus> exit = fleet.WaitForExit(timeout);
  if (!exit.ok()) return exit.status();
  if (*exit != harness::ExitStatus::Exited(0)) {
    return absl::InternalError(absl::StrCat("watcher process ", exit->ToString(), ": ", fleet.LogTail(10)));
  }
  return ReadWatchFleetReport(files.report);
}

}  // namespace

WatchersRun MeasureWithWatchers(BenchStack& stack, const BenchConfig& config, const std::string& run_label,
                                std::vector<std::string>& errors) {
  WatchersRun run;
  run.without = MeasureSyncAll(stack, config, absl::StrCat(run_label, ", SyncAll without watchers"), errors);
  if (!run.without) return run;

  if (absl::Status reset = stack.PrepareMeasurement(); !reset.ok()) {
    errors.push_back(absl::StrCat(run_label, ", watchers: ", reset.ToString()));
    return run;
  }
  const FleetFiles files = NewFleetFiles(stack.work_dir());
  absl::StatusOr<std::unique_ptr<harness::ChildProcess>> process = StartFleet(stack, config, files);
  if (!process.ok()) {
    errors.push_back(absl::StrCat(run_label, ", watcher process: ", process.status().ToString()));
    return run;
  }
  SyncAllCall call(stack.server().NewChannel(), config.sync_all_timeout);
  absl::StatusOr<WatchFleetReport> fleet = WatchJob(**process, call, files, config.sync_all_timeout);
  absl::StatusOr<SyncAllResult> sync_all = call.Wait();
  if (!fleet.ok()) {
    errors.push_back(absl::StrCat(run_label, ", watcher process: ", fleet.status().ToString()));
  } else {
    if (fleet->saw_final != fleet->watchers || fleet->ended_ok != fleet->watchers) {
      errors.push_back(absl::StrCat(run_label, ", watchers: only ", fleet->saw_final, " of ", fleet->watchers,
                                    " saw the final event and ", fleet->ended_ok, " ended OK"));
    }
    run.fleet = *fleet;
  }
  if (sync_all.ok()) {
    Log(absl::StrCat(run_label, " SyncAll with ", config.watchers, " watchers: ", sync_all->Describe()));
    if (std::string wrong = CheckAllInSync(*sync_all, config.licenses); !wrong.empty()) {
      errors.push_back(absl::StrCat(run_label, ", SyncAll with watchers: ", wrong));
    }
    run.sync_all = *sync_all;
  } else {
    errors.push_back(absl::StrCat(run_label, ", SyncAll with watchers: ", sync_all.status().ToString()));
  }
  return run;
}

}  // namespace lss::bench
