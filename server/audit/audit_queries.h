// ListAuditEvents: the audit log newest first, paged (AIP-158), filtered by
// license, actor, RPC and time. Blocking (database reads): call from a
// WorkerPool thread. Thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "server/paging/page.h"
#include "storage/audit_repository.h"

namespace lss {

struct AuditQuery {
  int64_t license_id = 0;  // 0: every license
  std::string actor;       // empty: every actor
  std::string method;      // empty: every RPC
  absl::optional<absl::Time> since;
  int32_t page_size = 0;
  std::string page_token;
};

class AuditQueries {
 public:
  explicit AuditQueries(AuditRepository& events) : events_(events) {}

  absl::StatusOr<Page<AuditEvent>> List(const AuditQuery& query);

 private:
  AuditRepository& events_;
};

}  // namespace lss
