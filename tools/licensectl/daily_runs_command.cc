// `licensectl daily-runs`: the daily runs (sync, renew, expire, prune), with
// each phase's counts and the licenses that failed, newest first, paged as
// `list` pages.
#include "absl/strings/str_cat.h"
#include "licensectl/commands.h"
#include "licensectl/daily_run_printer.h"
#include "licensectl/paging.h"

namespace licensectl {
namespace {

using licensing::v1::ListDailyRunsRequest;
using licensing::v1::ListDailyRunsResponse;

std::string RenderPage(const ListDailyRunsResponse& page) {
  if (page.daily_runs().empty() && page.next_page_token().empty()) return "No daily runs found.\n";
  return RenderDailyRuns(page.daily_runs()) + MorePagesLine(page.next_page_token());
}

ExitCode RunDailyRuns(CommandContext& context) {
  if (!context.arguments().empty()) {
    return context.UsageError(
        absl::StrCat("daily-runs takes no arguments, got '", context.arguments().front(), "'"));
  }
  absl::StatusOr<Paging> paging = ParsePaging(context.options());
  if (!paging.ok()) return context.UsageError(paging.status().message());
  ListDailyRunsRequest request;
  request.set_page_size(paging->page_size);

  ListDailyRunsResponse result;
  const grpc::Status status = FetchPages<ListDailyRunsResponse>(
      *paging,
      [&](const std::string& page_token, ListDailyRunsResponse& page) {
        request.set_page_token(page_token);
        const auto call = context.connection().NewCallContext();
        return context.connection().service().ListDailyRuns(call.get(), request, &page);
      },
      result);
  if (!status.ok()) return context.CallFailed(status);
  return context.PrintResult(result, [&] { return RenderPage(result); });
}

}  // namespace

Command DailyRunsCommand() {
  return {
      .name = "daily-runs",
      .summary = "List the daily runs: each phase's counts and failures.",
      // The second line lines up after "Usage: licensectl daily-runs ".
      .usage = "daily-runs [--page-size N] [--page-token TOKEN] [--all]",
      .description =
          "The daily run (once a day, at license-server's --daily-at) syncs every active\n"
          "license (SYNC), renews the In Sync ones due at KA (RENEW), marks those past\n"
          "their expiration EXPIRED (EXPIRE), and prunes old history, audit events and\n"
          "jobs (PRUNE). One row per phase, newest run first: RUN DATE (UTC), RUN STATE,\n"
          "PHASE, PHASE STATE, PROCESSED, SUCCEEDED, FAILED, STARTED, ENDED, JOB (the\n"
          "SYNC phase's job: licensectl watch JOB). Then, if any, the failures: each\n"
          "license that a phase could not process (retried the next run), and each\n"
          "phase that failed as a whole.\n"
          "When more runs follow, the last line gives the option that fetches them:\n"
          "\"more: --page-token TOKEN\". --all fetches every page and prints one table.\n"
          "Exits 0 whatever the runs' outcomes.\n",
      .options =
          {
              {kPageSizeOptionName, "N", "runs per page (default 100, at most 1000)"},
              {kPageTokenOptionName, "TOKEN", "continue from a previous page"},
              {kAllPagesOptionName, "", "fetch every page (from --page-token, if given)"},
          },
      .run = RunDailyRuns,
  };
}

}  // namespace licensectl
