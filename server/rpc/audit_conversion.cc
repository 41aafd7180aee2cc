#include "server/rpc/audit_conversion.h"

#include "server/rpc/time_conversion.h"

namespace lss {

void ToProto(const AuditEvent& event, licensing::v1::AuditEvent* out) {
  out->set_event_id(event.event_id);
  SetTimestamp(event.event_time, out->mutable_event_time());
  out->set_actor(event.actor);
  out->set_role(event.actor_role);
  out->set_method(event.method);
  if (event.license_id) out->set_license_id(*event.license_id);
  out->set_key_number(event.target);
  out->set_outcome(event.outcome);
  out->set_detail(event.detail);
  out->set_request_id(event.request_id);
  out->set_call_count(event.call_count);
}

}  // namespace lss
