#include "server/rpc/call_request_id.h"

#include <cstdint>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"

namespace lss {

bool IsAcceptableRequestId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxCallerRequestIdLength) return false;
  for (char c : id) {
    if (!absl::ascii_isgraph(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string CallRequestId(absl::optional<absl::string_view> sent) {
  if (sent && IsAcceptableRequestId(*sent)) return std::string(*sent);
  thread_local absl::BitGen gen;
  return absl::StrFormat("%016x", absl::Uniform<uint64_t>(gen));
}

}  // namespace lss
