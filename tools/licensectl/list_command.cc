// `licensectl list`: licenses as a table, filtered and paged as
// ListLicenses allows; --all follows the page tokens to the end.
#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/types/span.h"
#include "licensectl/commands.h"
#include "licensectl/license_printer.h"

namespace licensectl {
namespace {

using licensing::v1::LicenseFilter;
using licensing::v1::ListLicensesRequest;
using licensing::v1::ListLicensesResponse;

// A word an option accepts and the enum value it stands for.
template <typename Enum>
struct Choice {
  absl::string_view word;
  Enum value;
};

constexpr Choice<licensing::v1::SyncStatus> kStatusChoices[] = {
    {"in-sync", licensing::v1::SYNC_STATUS_IN_SYNC},
    {"not-in-sync", licensing::v1::SYNC_STATUS_NOT_IN_SYNC},
    {"never-synced", licensing::v1::SYNC_STATUS_NEVER_SYNCED},
};

constexpr Choice<licensing::v1::LicenseState> kStateChoices[] = {
    {"active", licensing::v1::LICENSE_STATE_ACTIVE},
    {"expired", licensing::v1::LICENSE_STATE_EXPIRED},
    {"terminated", licensing::v1::LICENSE_STATE_TERMINATED},
};

template <typename Enum>
absl::StatusOr<Enum> ParseChoice(absl::string_view option, absl::string_view word,
                                 absl::Span<const Choice<Enum>> choices) {
  for (const Choice<Enum>& choice : choices) {
    if (choice.word == word) return choice.value;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--", option, " must be one of ",
      absl::StrJoin(choices, ", ",
                    [](std::string* out, const Choice<Enum>& choice) { absl::StrAppend(out, choice.word); }),
      "; got '", word, "'"));
}

// The request of the first page, from the command's options.
absl::StatusOr<ListLicensesRequest> BuildRequest(const OptionValues& options) {
  ListLicensesRequest request;
  LicenseFilter& filter = *request.mutable_filter();
  if (auto word = options.Get("status")) {
    absl::StatusOr<licensing::v1::SyncStatus> status =
        ParseChoice<licensing::v1::SyncStatus>("status", *word, kStatusChoices);
    if (!status.ok()) return status.status();
    filter.set_sync_status(*status);
  }
  if (auto word = options.Get("state")) {
    absl::StatusOr<licensing::v1::LicenseState> state =
        ParseChoice<licensing::v1::LicenseState>("state", *word, kStateChoices);
    if (!state.ok()) return state.status();
    filter.set_state(*state);
  }
  if (auto license_class = options.Get("class")) filter.set_license_class(*license_class);
  if (auto prefix = options.Get("prefix")) filter.set_key_number_prefix(*prefix);
  if (auto text = options.Get("page-size")) {
    int32_t page_size = 0;
    if (!absl::SimpleAtoi(*text, &page_size) || page_size < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--page-size must be a whole number from 0 (the server's default) up; got '", *text,
          "'"));
    }
    request.set_page_size(page_size);
  }
  if (auto token = options.Get("page-token")) request.set_page_token(*token);
  return request;
}

std::string RenderPage(const ListLicensesResponse& page) {
  if (page.licenses().empty() && page.next_page_token().empty()) return "No licenses found.\n";
  std::string text = RenderLicenseTable(page.licenses());
  if (!page.next_page_token().empty()) {
    absl::StrAppend(&text, "more: --page-token ", page.next_page_token(), "\n");
  }
  return text;
}

ExitCode RunList(CommandContext& context) {
  if (!context.arguments().empty()) {
    return context.UsageError(
        absl::StrCat("list takes no arguments, got '", context.arguments().front(),
                     "' (filters are options, e.g. --prefix)"));
  }
  absl::StatusOr<ListLicensesRequest> request = BuildRequest(context.options());
  if (!request.ok()) return context.UsageError(request.status().message());
  const bool follow_all = context.options().Has("all");

  // With --all, the pages are gathered into one response: one table with
  // columns fitted to every row, and one JSON document.
  ListLicensesResponse result;
  while (true) {
    ListLicensesResponse page;
    const auto call = context.connection().NewCallContext();
    const grpc::Status status =
        context.connection().service().ListLicenses(call.get(), *request, &page);
    if (!status.ok()) return context.CallFailed(status);

    if (!follow_all) {
      result = std::move(page);
      break;
    }
    for (auto& license : *page.mutable_licenses()) *result.add_licenses() = std::move(license);
    if (page.next_page_token().empty()) break;
    // A token that does not move on would loop forever: a server bug, but
    // one an operator's terminal should not pay for.
    if (page.next_page_token() == request->page_token()) {
      return context.CallFailed(grpc::Status(
          grpc::StatusCode::INTERNAL,
          "the server returned the page token it was given; stopping to avoid a loop"));
    }
    request->set_page_token(page.next_page_token());
  }

  return context.PrintResult(result, [&] { return RenderPage(result); });
}

}  // namespace

Command ListCommand() {
  return {
      .name = "list",
      .summary = "List licenses as a table, filtered and paged.",
      // The second line lines up after "Usage: licensectl list ".
      .usage = "list [--status STATUS] [--state STATE] [--class NAME]\n"
               "                       [--prefix KEY_PREFIX] [--page-size N]\n"
               "                       [--page-token TOKEN] [--all]",
      .description =
          "Columns: ID, KEY NUMBER, CLASS, CAPACITY, STATUS, USABLE UNTIL; ordered by\n"
          "License ID. When more licenses follow, the last line gives the option that\n"
          "fetches them: \"more: --page-token TOKEN\" (a token is valid only with the\n"
          "same filters). --all fetches every page and prints one table.\n",
      .options =
          {
              {"status", "STATUS", "only this sync status: in-sync, not-in-sync, never-synced"},
              {"state", "STATE", "only this state: active, expired, terminated"},
              {"class", "NAME", "only this license class (KA key type), e.g. PLESK_WEB_PRO"},
              {"prefix", "KEY_PREFIX", "only key numbers starting so, e.g. PLSK.0001"},
              {"page-size", "N", "licenses per page (default 100, at most 1000)"},
              {"page-token", "TOKEN", "continue from a previous page"},
              {"all", "", "fetch every page (from --page-token, if given)"},
          },
      .run = RunList,
  };
}

}  // namespace licensectl
