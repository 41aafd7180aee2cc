// AIP-158 paging shared by every List RPC: page sizes and opaque page tokens.
//
// A token carries a keyset cursor (the last id of the previous page) bound to
// a fingerprint of the request's filter, so a token reused with another
// filter, forged or truncated is INVALID_ARGUMENT (reason INVALID_PAGE_TOKEN)
// rather than a silently wrong page. Tokens hold no server state: any
// replica continues any listing. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lss {

inline constexpr int kDefaultPageSize = 100;
inline constexpr int kMaxPageSize = 1000;
// Longer than any token EncodePageToken makes (about 60 characters): a
// longer one is INVALID_PAGE_TOKEN before it is decoded.
inline constexpr size_t kMaxPageTokenLength = 256;

// 0 → kDefaultPageSize; above kMaxPageSize → kMaxPageSize; negative →
// INVALID_ARGUMENT naming `page_size`.
absl::StatusOr<int> NormalizePageSize(int32_t requested);

// `filter_fingerprint` is any stable text describing the request's filter
// (e.g. its deterministic serialization); only its hash is embedded.
std::string EncodePageToken(int64_t cursor, absl::string_view filter_fingerprint);

// The cursor of a token made by EncodePageToken with the same fingerprint;
// an empty token is cursor 0 (the first page). INVALID_ARGUMENT naming
// `page_token` (reason INVALID_PAGE_TOKEN) otherwise.
absl::StatusOr<int64_t> DecodePageToken(absl::string_view token, absl::string_view filter_fingerprint);

}  // namespace lss
