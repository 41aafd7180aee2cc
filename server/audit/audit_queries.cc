#include "server/audit/audit_queries.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"
#include "server/paging/paging.h"

namespace lss {
namespace {

constexpr size_t kMaxActorLength = 255;
constexpr size_t kMaxMethodLength = 128;

// Binds page tokens to the listing's filter. Texts are length-prefixed, so
// that no actor can read as another filter.
std::string Fingerprint(const AuditQuery& query) {
  return absl::StrCat("audit;license=", query.license_id, ";actor=", query.actor.size(), ":", query.actor,
                      ";method=", query.method.size(), ":", query.method,
                      ";since=", query.since ? absl::ToUnixMicros(*query.since) : -1);
}

}  // namespace

absl::StatusOr<Page<AuditEvent>> AuditQueries::List(const AuditQuery& query) {
  if (query.license_id < 0) return InvalidArgumentError("license_id", "must not be negative");
  if (query.actor.size() > kMaxActorLength) {
    return InvalidArgumentError("actor", absl::StrCat("must be at most ", kMaxActorLength, " characters"));
  }
  if (query.method.size() > kMaxMethodLength) {
    return InvalidArgumentError("method", absl::StrCat("must be at most ", kMaxMethodLength, " characters"));
  }
  absl::StatusOr<int> size = NormalizePageSize(query.page_size);
  if (!size.ok()) return size.status();
  const std::string fingerprint = Fingerprint(query);
  absl::StatusOr<int64_t> before = DecodePageToken(query.page_token, fingerprint);
  if (!before.ok()) return before.status();
  AuditFilter filter;
  if (query.license_id != 0) filter.license_id = query.license_id;
  if (!query.actor.empty()) filter.actor = query.actor;
  if (!query.method.empty()) filter.method = query.method;
  filter.since = query.since;
  absl::StatusOr<std::vector<AuditEvent>> rows = events_.List(filter, *before, *size + 1);
  if (!rows.ok()) return rows.status();
  Page<AuditEvent> page;
  if (static_cast<int>(rows->size()) > *size) {
    rows->resize(static_cast<size_t>(*size));
    page.next_page_token = EncodePageToken(rows->back().event_id, fingerprint);
  }
  page.items = *std::move(rows);
  return page;
}

}  // namespace lss
