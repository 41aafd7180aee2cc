// `licensectl sync-all`: sync every license (or those a scope selects) as a
// server-side job and follow it to its end; `--cancel` cancels the running
// job instead.
#include <vector>

#include "absl/strings/str_cat.h"
#include "licensectl/commands.h"
#include "licensectl/job_follower.h"
#include "licensectl/job_printer.h"
#include "licensectl/license_filter_options.h"

namespace licensectl {
namespace {

using licensing::v1::SyncAllRequest;
using licensing::v1::SyncAllResponse;

constexpr OptionSpec kCancelOption = {"cancel", "",
                                      "cancel the running SyncAll job (whatever its scope) instead"};

// The deployment runs one job at a time, so "the running job" needs no id.
ExitCode CancelRunningJob(CommandContext& context) {
  licensing::v1::ListSyncJobsRequest list;
  list.set_state(licensing::v1::SYNC_JOB_STATE_RUNNING);
  licensing::v1::ListSyncJobsResponse running;
  const auto list_call = context.connection().NewCallContext();
  if (grpc::Status status = context.connection().service().ListSyncJobs(list_call.get(), list, &running);
      !status.ok()) {
    return context.CallFailed(status);
  }

  licensing::v1::CancelSyncJobResponse cancelled;
  if (running.jobs().empty()) {
    return context.PrintResult(cancelled, [] { return "No SyncAll job is running; nothing to cancel.\n"; });
  }
  licensing::v1::CancelSyncJobRequest cancel;
  cancel.set_job_id(running.jobs(0).job_id());
  const auto cancel_call = context.connection().NewCallContext();
  if (grpc::Status status = context.connection().service().CancelSyncJob(cancel_call.get(), cancel, &cancelled);
      !status.ok()) {
    return context.CallFailed(status);
  }
  // The job may have ended on its own meanwhile: the summary says which.
  return context.PrintResult(cancelled, [&] {
    licensing::v1::SyncProgress progress = cancelled.job().progress();
    progress.set_job_id(cancelled.job().job_id());
    progress.set_state(cancelled.job().state());
    return RenderJobSummary(progress, cancelled.job().error());
  });
}

ExitCode RunSyncAll(CommandContext& context) {
  if (!context.arguments().empty()) {
    return context.UsageError(absl::StrCat("sync-all takes no arguments, got '", context.arguments().front(),
                                           "' (the scope is given by options, e.g. --prefix)"));
  }
  if (context.options().Has(kCancelOption.name)) {
    if (HasLicenseFilterOption(context.options())) {
      return context.UsageError("--cancel takes no scope options: it cancels the running job, whatever its scope");
    }
    return CancelRunningJob(context);
  }
  absl::StatusOr<licensing::v1::LicenseFilter> scope = ParseLicenseFilter(context.options());
  if (!scope.ok()) return context.UsageError(scope.status().message());
  SyncAllRequest request;
  *request.mutable_scope() = *std::move(scope);
  return FollowJob<SyncAllResponse>(context, [&](grpc::ClientContext* call) {
    return context.connection().service().SyncAll(call, request);
  });
}

std::vector<OptionSpec> SyncAllOptions() {
  std::vector<OptionSpec> options = LicenseFilterOptions();
  options.push_back(kCancelOption);
  return options;
}

}  // namespace

Command SyncAllCommand() {
  return {
      .name = "sync-all",
      .summary = "Sync all licenses (or a scope) as a server job; show its progress.",
      // The second line lines up after "Usage: licensectl sync-all ".
      .usage = "sync-all [--status STATUS] [--state STATE] [--class NAME]\n"
               "                           [--prefix KEY_PREFIX] [--usable-until-before DATE]\n"
               "       licensectl sync-all --cancel",
      .description =
          "Starts a SyncAll job on the server over the licenses in scope (without scope\n"
          "options: every ACTIVE license), or attaches to the job already running with\n"
          "the same scope, and shows its progress to the end. While a job with another\n"
          "scope runs the server refuses (ABORTED, naming that job): watch it or cancel\n"
          "it. The scope options narrow as list's filters do and combine.\n"
          "\n"
          "On a terminal a live line is redrawn in place: a bar, done/total, counts per\n"
          "outcome (in sync, not in sync, errors, skipped), rate and ETA. Otherwise (a\n"
          "pipe, a log) a plain line at most every second, and always the last one.\n"
          "Then a summary: the job's end state and counts. Licenses found Not In Sync:\n"
          "licensectl list --status not-in-sync.\n"
          "\n"
          "Ctrl-C detaches: the job keeps running on the server (it survives its\n"
          "callers), licensectl prints\n"
          "  detached; job JOB_ID keeps running; follow it with: licensectl watch JOB_ID\n"
          "and exits 130. A second Ctrl-C quits at once.\n"
          "\n"
          "--cancel cancels the running SyncAll job, whatever its scope and whoever\n"
          "started it (the deployment runs one at a time), and prints its summary;\n"
          "results so far are kept. With no job running it says so and exits 0\n"
          "(--json: {}).\n"
          "\n"
          "--json prints each progress event as one line of JSON (JSON Lines), a\n"
          "SyncAllResponse: {\"progress\": {\"job_id\", \"state\", \"total\", \"processed\",\n"
          "\"in_sync\", \"not_in_sync\", \"errors\", \"skipped\", \"rate_per_second\", \"eta\",\n"
          "\"waiting_for_key_administrator\", \"update_time\"}}; the last event has a\n"
          "state other than SYNC_JOB_STATE_RUNNING. Nothing else goes to stdout. With\n"
          "--cancel, --json prints the CancelSyncJobResponse.\n"
          "\n"
          "--timeout SECONDS: the longest wait for a progress event (the server sends\n"
          "one at least every second while the job runs), not for the whole job.\n"
          "\n"
          "Exits 0 when the job succeeded with no license Not In Sync and no error,\n"
          "3 when it succeeded and found licenses Not In Sync, 1 when it failed, was\n"
          "cancelled or some syncs failed (KA errors; the licenses keep their status)\n"
          "or the call failed, 130 on Ctrl-C. --cancel exits 0 or 1.\n",
      .options = SyncAllOptions(),
      .run = RunSyncAll,
  };
}

}  // namespace licensectl
