// `licensectl history`: one license's sync results over time, newest first,
// paged as `list` pages.
#include "licensectl/commands.h"
#include "licensectl/license_selector.h"
#include "licensectl/paging.h"
#include "licensectl/sync_history_printer.h"

namespace licensectl {
namespace {

using licensing::v1::ListSyncHistoryRequest;
using licensing::v1::ListSyncHistoryResponse;

std::string RenderPage(const ListSyncHistoryResponse& page) {
  if (page.entries().empty() && page.next_page_token().empty()) return "No syncs recorded for this license.\n";
  return RenderSyncHistoryTable(page.entries()) + MorePagesLine(page.next_page_token());
}

ExitCode RunHistory(CommandContext& context) {
  absl::StatusOr<LicenseSelector> license = SelectLicense(context.options(), context.arguments());
  if (!license.ok()) return context.UsageError(license.status().message());
  absl::StatusOr<Paging> paging = ParsePaging(context.options());
  if (!paging.ok()) return context.UsageError(paging.status().message());

  ListSyncHistoryRequest request;
  license->ApplyTo(request);
  request.set_page_size(paging->page_size);
  ListSyncHistoryResponse result;
  const grpc::Status status = FetchPages<ListSyncHistoryResponse>(
      *paging,
      [&](const std::string& page_token, ListSyncHistoryResponse& page) {
        request.set_page_token(page_token);
        const auto call = context.connection().NewCallContext();
        return context.connection().service().ListSyncHistory(call.get(), request, &page);
      },
      result);
  if (!status.ok()) return context.CallFailed(status);
  return context.PrintResult(result, [&] { return RenderPage(result); });
}

}  // namespace

Command HistoryCommand() {
  return {
      .name = "history",
      .summary = "Show one license's sync results over time, newest first.",
      // The second line lines up after "Usage: licensectl history ".
      .usage = "history (ID | KEY_NUMBER | --id N | --key KEY_NUMBER)\n"
               "                          [--page-size N] [--page-token TOKEN] [--all]",
      .description =
          "One row per sync of the license, single syncs and SyncAll jobs alike:\n"
          "SYNCED AT, KEY NUMBER (billing's then), KA KEY NUMBER, STATUS (In Sync, Not\n"
          "In Sync, or Error for an attempt that failed, e.g. KA unreachable), JOB (the\n"
          "SyncAll job; - for a single sync), RESULT (what differed, or why the attempt\n"
          "failed). --json gives each mismatch with billing's and KA's value.\n"
          "An argument of digits only is a License ID; anything else is a Key Number.\n"
          "When more entries follow, the last line gives the option that fetches them:\n"
          "\"more: --page-token TOKEN\". --all fetches every page and prints one table.\n"
          "Exits 0 whatever the results.\n",
      .options =
          {
              kLicenseIdOption,
              kKeyNumberOption,
              {kPageSizeOptionName, "N", "entries per page (default 100, at most 1000)"},
              {kPageTokenOptionName, "TOKEN", "continue from a previous page"},
              {kAllPagesOptionName, "", "fetch every page (from --page-token, if given)"},
          },
      .run = RunHistory,
  };
}

}  // namespace licensectl
