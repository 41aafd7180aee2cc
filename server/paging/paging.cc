#include "server/paging/paging.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status/error_details.h"

namespace lss {
namespace {

constexpr absl::string_view kTokenVersion = "p1";

// FNV-1a: stable across processes and replicas, unlike absl::Hash, which is
// seeded per process.
uint64_t StableHash(absl::string_view text) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

absl::Status InvalidToken(absl::string_view why) {
  return InvalidArgumentError("page_token", why, "INVALID_PAGE_TOKEN");
}

}  // namespace

absl::StatusOr<int> NormalizePageSize(int32_t requested) {
  if (requested < 0) return InvalidArgumentError("page_size", "must not be negative");
  if (requested == 0) return kDefaultPageSize;
  return requested > kMaxPageSize ? kMaxPageSize : static_cast<int>(requested);
}

std::string EncodePageToken(int64_t cursor, absl::string_view filter_fingerprint) {
  return absl::WebSafeBase64Escape(
      absl::StrCat(kTokenVersion, ":", cursor, ":", absl::Hex(StableHash(filter_fingerprint))));
}

absl::StatusOr<int64_t> DecodePageToken(absl::string_view token, absl::string_view filter_fingerprint) {
  if (token.empty()) return 0;
  if (token.size() > kMaxPageTokenLength) {
    return InvalidToken(absl::StrCat("is longer than any token this service issues (", kMaxPageTokenLength,
                                     " characters)"));
  }
  std::string plain;
  if (!absl::WebSafeBase64Unescape(token, &plain)) return InvalidToken("is not a token this service issued");
  std::vector<absl::string_view> parts = absl::StrSplit(plain, ':');
  int64_t cursor = 0;
  if (parts.size() != 3 || parts[0] != kTokenVersion || !absl::SimpleAtoi(parts[1], &cursor) || cursor < 0) {
    return InvalidToken("is not a token this service issued");
  }
  if (parts[2] != absl::StrCat(absl::Hex(StableHash(filter_fingerprint)))) {
    return InvalidToken("belongs to a request with other filters; start again without a token");
  }
  return cursor;
}

}  // namespace lss
