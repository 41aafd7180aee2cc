// `licensectl watch JOB_ID`: follow a SyncAll job started elsewhere (another
// operator, the daily run, a detached sync-all) to its end, shown exactly as
// sync-all shows it.
#include "absl/strings/str_cat.h"
#include "licensectl/commands.h"
#include "licensectl/job_follower.h"

namespace licensectl {
namespace {

using licensing::v1::WatchSyncJobRequest;
using licensing::v1::WatchSyncJobResponse;

ExitCode RunWatch(CommandContext& context) {
  if (context.arguments().size() != 1) {
    return context.UsageError(context.arguments().empty()
                                  ? "which job? Give its JOB_ID ('licensectl jobs' lists them)"
                                  : absl::StrCat("watch takes one JOB_ID, got ", context.arguments().size()));
  }
  WatchSyncJobRequest request;
  request.set_job_id(context.arguments().front());
  return FollowJob<WatchSyncJobResponse>(context, [&](grpc::ClientContext* call) {
    return context.connection().service().WatchSyncJob(call, request);
  });
}

}  // namespace

Command WatchCommand() {
  return {
      .name = "watch",
      .summary = "Follow a SyncAll job's progress to its end.",
      .usage = "watch JOB_ID",
      .description =
          "Attaches to the job (any number of watchers may) and shows its progress as\n"
          "sync-all does: on a terminal a live line redrawn in place (done/total, counts\n"
          "per outcome, rate, ETA); otherwise a plain line at most every second and the\n"
          "last one; then a summary of how the job ended. A job that already ended\n"
          "shows its final state at once. 'licensectl jobs' lists job IDs.\n"
          "\n"
          "Ctrl-C stops watching; the job keeps running on the server (exit 130). To\n"
          "cancel the job: licensectl sync-all --cancel.\n"
          "\n"
          "--json prints each progress event as one line of JSON (JSON Lines), a\n"
          "WatchSyncJobResponse: {\"progress\": {\"job_id\", \"state\", \"total\",\n"
          "\"processed\", \"in_sync\", \"not_in_sync\", \"errors\", \"skipped\",\n"
          "\"rate_per_second\", \"eta\", \"waiting_for_key_administrator\",\n"
          "\"update_time\"}}; the last event has a state other than\n"
          "SYNC_JOB_STATE_RUNNING. Nothing else goes to stdout.\n"
          "\n"
          "--timeout SECONDS: the longest wait for an event (the server sends one at\n"
          "least every second while the job runs), not for the whole job.\n"
          "\n"
          "Exits 0 when the job succeeded with no license Not In Sync and no error,\n"
          "3 when it succeeded and found licenses Not In Sync, 1 when it failed, was\n"
          "cancelled or some syncs failed (or the call failed: unknown job,\n"
          "server unreachable), 130 on Ctrl-C.\n",
      .options = {},
      .run = RunWatch,
  };
}

}  // namespace licensectl
