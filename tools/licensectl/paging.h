// Paging of the listings (history, jobs, daily-runs) exactly as `list` pages:
// --page-size N (0: the server's default), --page-token TOKEN from a
// previous page's "more:" line, --all to follow the tokens to the last page
// and print one table (or one JSON document).
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "grpcpp/support/status.h"
#include "licensectl/command_line.h"

namespace licensectl {

// The option names; each command writes its own help line ("jobs per page").
inline constexpr absl::string_view kPageSizeOptionName = "page-size";
inline constexpr absl::string_view kPageTokenOptionName = "page-token";
inline constexpr absl::string_view kAllPagesOptionName = "all";

struct Paging {
  int32_t page_size = 0;
  std::string page_token;
  bool all = false;
};

// The paging options given; INVALID_ARGUMENT, worded as `list` words it, for
// a page size that is not a whole number from 0 up.
absl::StatusOr<Paging> ParsePaging(const OptionValues& options);

// "more: --page-token TOKEN\n" when more pages follow, else "".
std::string MorePagesLine(const std::string& next_page_token);

// Fetches the page at paging.page_token through `fetch(page_token, page)`.
// With paging.all, follows next_page_token to the last page and gathers
// every page's items into `result`, whose next_page_token is then empty.
// Response is a List response: repeated items and next_page_token. A
// server that answers the token it was given would loop forever: that is
// reported as INTERNAL.
template <typename Response>
grpc::Status FetchPages(
    const Paging& paging,
    // type_identity: Response is deduced from `result` alone, so that a
    // lambda can be passed here.
    std::type_identity_t<absl::FunctionRef<grpc::Status(const std::string& page_token, Response& page)>> fetch,
    Response& result) {
  std::string page_token = paging.page_token;
  while (true) {
    Response page;
    if (grpc::Status status = fetch(page_token, page); !status.ok()) return status;
    if (!paging.all) {
      result = std::move(page);
      return grpc::Status::OK;
    }
    std::string next_page_token = page.next_page_token();
    // MergeFrom appends the repeated items; the token must not survive.
    page.clear_next_page_token();
    result.MergeFrom(page);
    if (next_page_token.empty()) return grpc::Status::OK;
    if (next_page_token == page_token) {
      return grpc::Status(grpc::StatusCode::INTERNAL,
                          "the server returned the page token it was given; stopping to avoid a loop");
    }
    page_token = std::move(next_page_token);
  }
}

}  // namespace licensectl
