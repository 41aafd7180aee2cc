#include "licensectl/paging.h"

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace licensectl {

absl::StatusOr<Paging> ParsePaging(const OptionValues& options) {
  Paging paging;
  if (auto text = options.Get(kPageSizeOptionName)) {
    if (!absl::SimpleAtoi(*text, &paging.page_size) || paging.page_size < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--page-size must be a whole number from 0 (the server's default) up; got '", *text, "'"));
    }
  }
  if (auto token = options.Get(kPageTokenOptionName)) paging.page_token = *token;
  paging.all = options.Has(kAllPagesOptionName);
  return paging;
}

std::string MorePagesLine(const std::string& next_page_token) {
  return next_page_token.empty() ? "" : absl::StrCat("more: --page-token ", next_page_token, "\n");
}

}  // namespace licensectl
