// `licensectl upgrades`: upgrade sessions as a table, filtered by state and
// license and paged as ListUpgrades allows; the paging options are list's.
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "licensectl/commands.h"
#include "licensectl/license_selector.h"
#include "licensectl/paging.h"
#include "licensectl/upgrade_printer.h"

namespace licensectl {
namespace {

using licensing::v1::ListUpgradesRequest;
using licensing::v1::ListUpgradesResponse;
using licensing::v1::UpgradeState;

struct StateChoice {
  absl::string_view word;
  UpgradeState value;
};

constexpr StateChoice kStateChoices[] = {
    {"started", licensing::v1::UPGRADE_STATE_STARTED},
    {"configured", licensing::v1::UPGRADE_STATE_CONFIGURED},
    {"priced", licensing::v1::UPGRADE_STATE_PRICED},
    {"placing", licensing::v1::UPGRADE_STATE_PLACING},
    {"completed", licensing::v1::UPGRADE_STATE_COMPLETED},
    {"cancelled", licensing::v1::UPGRADE_STATE_CANCELLED},
    {"expired", licensing::v1::UPGRADE_STATE_EXPIRED},
    {"failed", licensing::v1::UPGRADE_STATE_FAILED},
};

absl::StatusOr<UpgradeState> ParseState(absl::string_view word) {
  for (const StateChoice& choice : kStateChoices) {
    if (choice.word == word) return choice.value;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--state must be one of ",
      absl::StrJoin(kStateChoices, ", ",
                    [](std::string* out, const StateChoice& choice) { absl::StrAppend(out, choice.word); }),
      "; got '", word, "'"));
}

// ListUpgrades filters by License ID only: a Key Number is looked up first.
ExitCode ResolveLicense(CommandContext& context, const LicenseSelector& license, ListUpgradesRequest& request) {
  if (license.by == LicenseSelector::By::kLicenseId) {
    request.set_license_id(license.license_id);
    return ExitCode::kSuccess;
  }
  licensing::v1::GetLicenseRequest get;
  license.ApplyTo(get);
  licensing::v1::GetLicenseResponse response;
  const auto call = context.connection().NewCallContext();
  const grpc::Status status = context.connection().service().GetLicense(call.get(), get, &response);
  if (!status.ok()) return context.CallFailed(status);
  request.set_license_id(response.license().license_id());
  return ExitCode::kSuccess;
}

std::string RenderPage(const ListUpgradesResponse& page) {
  if (page.upgrades().empty() && page.next_page_token().empty()) return "No upgrade sessions found.\n";
  return RenderUpgradeTable(page.upgrades()) + MorePagesLine(page.next_page_token());
}

ExitCode RunUpgrades(CommandContext& context) {
  if (!context.arguments().empty()) {
    return context.UsageError(
        absl::StrCat("upgrades takes no arguments, got '", context.arguments().front(),
                     "' (filters are options, e.g. --license)"));
  }
  absl::StatusOr<Paging> paging = ParsePaging(context.options());
  if (!paging.ok()) return context.UsageError(paging.status().message());
  ListUpgradesRequest request;
  request.set_page_size(paging->page_size);
  if (auto word = context.options().Get("state")) {
    absl::StatusOr<UpgradeState> state = ParseState(*word);
    if (!state.ok()) return context.UsageError(state.status().message());
    request.set_state(*state);
  }
  if (auto word = context.options().Get("license")) {
    absl::StatusOr<LicenseSelector> license = ClassifyLicenseArgument(*word);
    if (!license.ok()) return context.UsageError(absl::StrCat("--license: ", license.status().message()));
    if (ExitCode resolved = ResolveLicense(context, *license, request); resolved != ExitCode::kSuccess) {
      return resolved;
    }
  }

  ListUpgradesResponse result;
  const grpc::Status status = FetchPages<ListUpgradesResponse>(
      *paging,
      [&](const std::string& page_token, ListUpgradesResponse& page) {
        request.set_page_token(page_token);
        const auto call = context.connection().NewCallContext();
        return context.connection().service().ListUpgrades(call.get(), request, &page);
      },
      result);
  if (!status.ok()) return context.CallFailed(status);
  return context.PrintResult(result, [&] { return RenderPage(result); });
}

}  // namespace

Command UpgradesCommand() {
  return {
      .name = "upgrades",
      .summary = "List upgrade sessions and their orders, filtered and paged.",
      // The second line lines up after "Usage: licensectl upgrades ".
      .usage = "upgrades [--state STATE] [--license LICENSE] [--page-size N]\n"
               "                           [--page-token TOKEN] [--all]",
      .description =
          "Columns: UPGRADE ID, LICENSE (the License ID), KEY NUMBER (billing's when the\n"
          "session started), STATE, CREATED, UPDATED, TOTAL (what the order charged, or\n"
          "the price while not placed; '-' before pricing); newest first. When more\n"
          "sessions follow, the last line gives the option that fetches them:\n"
          "\"more: --page-token TOKEN\" (a token is valid only with the same filters).\n"
          "--all fetches every page and prints one table.\n"
          "\n"
          "'--state placing' finds orders a crash or a lost answer left half-way;\n"
          "'licensectl upgrade --resume UPGRADE_ID --yes' completes one. Exits 0 on\n"
          "success, 1 when the call failed, 2 on a usage error.\n",
      .options =
          {
              {"state", "STATE",
               "only this state: started, configured, priced, placing, completed, cancelled, expired, "
               "failed"},
              {"license", "LICENSE", "only this license's sessions: its License ID or Key Number"},
              {kPageSizeOptionName, "N", "sessions per page (default 100, at most 1000)"},
              {kPageTokenOptionName, "TOKEN", "continue from a previous page"},
              {kAllPagesOptionName, "", "fetch every page (from --page-token, if given)"},
          },
      .run = RunUpgrades,
  };
}

}  // namespace licensectl
