// `licensectl list`: licenses as a table, filtered and paged as
// ListLicenses allows; --all follows the page tokens to the end.
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "licensectl/commands.h"
#include "licensectl/license_filter_options.h"
#include "licensectl/license_printer.h"
#include "licensectl/paging.h"

namespace licensectl {
namespace {

using licensing::v1::ListLicensesRequest;
using licensing::v1::ListLicensesResponse;

std::string RenderPage(const ListLicensesResponse& page) {
  if (page.licenses().empty() && page.next_page_token().empty()) return "No licenses found.\n";
  return RenderLicenseTable(page.licenses()) + MorePagesLine(page.next_page_token());
}

ExitCode RunList(CommandContext& context) {
  if (!context.arguments().empty()) {
    return context.UsageError(
        absl::StrCat("list takes no arguments, got '", context.arguments().front(),
                     "' (filters are options, e.g. --prefix)"));
  }
  absl::StatusOr<licensing::v1::LicenseFilter> filter = ParseLicenseFilter(context.options());
  if (!filter.ok()) return context.UsageError(filter.status().message());
  absl::StatusOr<Paging> paging = ParsePaging(context.options());
  if (!paging.ok()) return context.UsageError(paging.status().message());

  // With --all, the pages are gathered into one response: one table with
  // columns fitted to every row, and one JSON document.
  ListLicensesResponse result;
  const grpc::Status status = FetchPages<ListLicensesResponse>(
      *paging,
      [&](const std::string& page_token, ListLicensesResponse& page) {
        ListLicensesRequest request;
        *request.mutable_filter() = *filter;
        request.set_page_size(paging->page_size);
        request.set_page_token(page_token);
        const auto call = context.connection().NewCallContext();
        return context.connection().service().ListLicenses(call.get(), request, &page);
      },
      result);
  if (!status.ok()) return context.CallFailed(status);
  return context.PrintResult(result, [&] { return RenderPage(result); });
}

// The filters (shared with sync-all's scope) and the paging options.
std::vector<OptionSpec> ListOptions() {
  std::vector<OptionSpec> options = LicenseFilterOptions();
  options.push_back({kPageSizeOptionName, "N", "licenses per page (default 100, at most 1000)"});
  options.push_back({kPageTokenOptionName, "TOKEN", "continue from a previous page"});
  options.push_back({kAllPagesOptionName, "", "fetch every page (from --page-token, if given)"});
  return options;
}

}  // namespace

Command ListCommand() {
  return {
      .name = "list",
      .summary = "List licenses as a table, filtered and paged.",
      // The second line lines up after "Usage: licensectl list ".
      .usage = "list [--status STATUS] [--state STATE] [--class NAME]\n"
               "                       [--prefix KEY_PREFIX] [--usable-until-before DATE]\n"
               "                       [--page-size N] [--page-token TOKEN] [--all]",
      .description =
          "Columns: ID, KEY NUMBER, CLASS, CAPACITY, STATUS, USABLE UNTIL; ordered by\n"
          "License ID. When more licenses follow, the last line gives the option that\n"
          "fetches them: \"more: --page-token TOKEN\" (a token is valid only with the\n"
          "same filters). --all fetches every page and prints one table.\n",
      .options = ListOptions(),
      .run = RunList,
  };
}

}  // namespace licensectl
