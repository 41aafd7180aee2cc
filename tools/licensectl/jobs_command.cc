// `licensectl jobs`: the SyncAll jobs, past and present, newest first, paged
// as `list` pages.
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "licensectl/commands.h"
#include "licensectl/job_printer.h"
#include "licensectl/paging.h"

namespace licensectl {
namespace {

using licensing::v1::ListSyncJobsRequest;
using licensing::v1::ListSyncJobsResponse;
using licensing::v1::SyncJobState;

struct StateChoice {
  absl::string_view word;
  SyncJobState state;
};

constexpr StateChoice kStateChoices[] = {
    {"running", licensing::v1::SYNC_JOB_STATE_RUNNING},
    {"succeeded", licensing::v1::SYNC_JOB_STATE_SUCCEEDED},
    {"cancelled", licensing::v1::SYNC_JOB_STATE_CANCELLED},
    {"failed", licensing::v1::SYNC_JOB_STATE_FAILED},
};

absl::StatusOr<SyncJobState> ParseState(absl::string_view word) {
  for (const StateChoice& choice : kStateChoices) {
    if (choice.word == word) return choice.state;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--state must be one of ",
      absl::StrJoin(kStateChoices, ", ",
                    [](std::string* out, const StateChoice& choice) { absl::StrAppend(out, choice.word); }),
      "; got '", word, "'"));
}

std::string RenderPage(const ListSyncJobsResponse& page) {
  if (page.jobs().empty() && page.next_page_token().empty()) return "No sync jobs found.\n";
  return RenderJobTable(page.jobs()) + MorePagesLine(page.next_page_token());
}

ExitCode RunJobs(CommandContext& context) {
  if (!context.arguments().empty()) {
    return context.UsageError(absl::StrCat("jobs takes no arguments, got '", context.arguments().front(),
                                           "' (to follow one job: licensectl watch JOB_ID)"));
  }
  absl::StatusOr<Paging> paging = ParsePaging(context.options());
  if (!paging.ok()) return context.UsageError(paging.status().message());
  ListSyncJobsRequest request;
  request.set_page_size(paging->page_size);
  if (auto word = context.options().Get("state")) {
    absl::StatusOr<SyncJobState> state = ParseState(*word);
    if (!state.ok()) return context.UsageError(state.status().message());
    request.set_state(*state);
  }

  ListSyncJobsResponse result;
  const grpc::Status status = FetchPages<ListSyncJobsResponse>(
      *paging,
      [&](const std::string& page_token, ListSyncJobsResponse& page) {
        request.set_page_token(page_token);
        const auto call = context.connection().NewCallContext();
        return context.connection().service().ListSyncJobs(call.get(), request, &page);
      },
      result);
  if (!status.ok()) return context.CallFailed(status);
  return context.PrintResult(result, [&] { return RenderPage(result); });
}

}  // namespace

Command JobsCommand() {
  return {
      .name = "jobs",
      .summary = "List SyncAll jobs, past and present, newest first.",
      // The second line lines up after "Usage: licensectl jobs ".
      .usage = "jobs [--state STATE] [--page-size N] [--page-token TOKEN]\n"
               "                       [--all]",
      .description =
          "Columns: JOB ID, STATE, SCOPE (the licenses it covers, as sync-all's options:\n"
          "status=..., state=..., class=..., prefix=..., usable-until-before=...; all\n"
          "for no filter), STARTED BY (a token's name, or the daily run), TOTAL,\n"
          "PROCESSED, IN SYNC, NOT IN SYNC, ERRORS, SKIPPED, STARTED, ENDED (- while\n"
          "running). Follow a running job with: licensectl watch JOB_ID.\n"
          "When more jobs follow, the last line gives the option that fetches them:\n"
          "\"more: --page-token TOKEN\" (valid only with the same --state). --all\n"
          "fetches every page and prints one table. Finished jobs are pruned after the\n"
          "server's --job-retention. Exits 0 whatever the jobs' outcomes.\n",
      .options =
          {
              {"state", "STATE", "only jobs in this state: running, succeeded, cancelled, failed"},
              {kPageSizeOptionName, "N", "jobs per page (default 100, at most 1000)"},
              {kPageTokenOptionName, "TOKEN", "continue from a previous page"},
              {kAllPagesOptionName, "", "fetch every page (from --page-token, if given)"},
          },
      .run = RunJobs,
  };
}

}  // namespace licensectl
