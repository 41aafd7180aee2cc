#include "storage/sql/audit_rows.h"

#include "absl/status/status.h"
#include "soci/soci.h"
#include "storage/sql/stored_time.h"

namespace lss::storage {

const absl::string_view kAuditEventColumns =
    "event_id, occurred_at, actor, actor_role, method, license_id, target, outcome, detail, "
    "request_id, call_count";

const absl::string_view kAuditEventInsertColumns =
    "occurred_at, actor, actor_role, method, license_id, target, outcome, detail, request_id, call_count";

void AppendAuditEventValues(const AuditEvent& event, SqlParams& params) {
  params.Int(ToStoredMicros(event.event_time))
      .Text(event.actor)
      .Text(event.actor_role)
      .Text(event.method);
  if (event.license_id.has_value()) {
    params.Int(*event.license_id);
  } else {
    params.Null();
  }
  params.Text(event.target).Text(event.outcome).Text(event.detail).Text(event.request_id).Int(event.call_count);
}

namespace {

// One row of kAuditEventColumns as SOCI delivers it.
struct AuditEventRow {
  long long event_id = 0;
  long long occurred_at = 0;
  std::string actor;
  std::string actor_role;
  std::string method;
  long long license_id = 0;
  soci::indicator license_id_indicator = soci::i_ok;
  std::string target;
  std::string outcome;
  std::string detail;
  std::string request_id;
  long long call_count = 1;

  // In kAuditEventColumns order.
  void BindTo(soci::statement& statement) {
    statement.exchange(soci::into(event_id));
    statement.exchange(soci::into(occurred_at));
    statement.exchange(soci::into(actor));
    statement.exchange(soci::into(actor_role));
    statement.exchange(soci::into(method));
    statement.exchange(soci::into(license_id, license_id_indicator));
    statement.exchange(soci::into(target));
    statement.exchange(soci::into(outcome));
    statement.exchange(soci::into(detail));
    statement.exchange(soci::into(request_id));
    statement.exchange(soci::into(call_count));
  }

  AuditEvent ToEvent() const {
    AuditEvent event;
    event.event_id = event_id;
    event.event_time = FromStoredMicros(occurred_at);
    event.actor = actor;
    event.actor_role = actor_role;
    event.method = method;
    if (license_id_indicator == soci::i_ok) event.license_id = license_id;
    event.target = target;
    event.outcome = outcome;
    event.detail = detail;
    event.request_id = request_id;
    event.call_count = call_count;
    return event;
  }
};

}  // namespace

std::vector<AuditEvent> QueryAuditEvents(soci::session& session, const std::string& sql,
                                         const SqlParams& params) {
  AuditEventRow row;
  std::vector<AuditEvent> events;
  // Every row converts, so the only failures are SOCI's, which it throws.
  ForEachRow(
      session, sql, params, [&](soci::statement& statement) { row.BindTo(statement); },
      [&]() {
        events.push_back(row.ToEvent());
        return absl::OkStatus();
      })
      .IgnoreError();
  return events;
}

}  // namespace lss::storage
