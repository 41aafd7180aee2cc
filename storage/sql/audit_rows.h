// The `audit_events` table seen from C++ (migration 0005): the columns an
// AuditEvent is read from and the values it is inserted with.
//
// QueryAuditEvents throws SOCI's exceptions: call it inside SqlRunner work.
// Everything else is pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "storage/audit_model.h"
#include "storage/sql/sql_statement.h"

namespace soci {
class session;
}  // namespace soci

namespace lss::storage {

// The SELECT list QueryAuditEvents reads, in its order.
extern const absl::string_view kAuditEventColumns;

// The column list of an INSERT of an event (event_id is generated), and how
// many values AppendAuditEventValues appends, in its order.
extern const absl::string_view kAuditEventInsertColumns;
inline constexpr size_t kAuditEventInsertColumnCount = 10;
void AppendAuditEventValues(const AuditEvent& event, SqlParams& params);

// Runs `sql`, a "SELECT <kAuditEventColumns> FROM audit_events ...", and
// converts its rows.
std::vector<AuditEvent> QueryAuditEvents(soci::session& session, const std::string& sql,
                                         const SqlParams& params);

}  // namespace lss::storage
