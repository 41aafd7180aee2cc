#include "server/licenses/request_id.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"
#include "common/text/sha256.h"

namespace lss {

absl::Status ValidateRequestId(absl::string_view request_id) {
  if (request_id.size() > kMaxRequestIdLength) {
    return InvalidArgumentError("request_id", absl::StrCat("must be at most ", kMaxRequestIdLength, " characters"));
  }
  for (char c : request_id) {
    if (!absl::ascii_isgraph(static_cast<unsigned char>(c))) {
      return InvalidArgumentError("request_id", "must be printable ASCII without spaces");
    }
  }
  return absl::OkStatus();
}

std::string ScopedRequestKey(absl::string_view caller, absl::string_view request_id) {
  return Sha256Hex(absl::StrCat(caller.size(), ":", caller, request_id.size(), ":", request_id));
}

}  // namespace lss
