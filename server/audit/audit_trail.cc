#include "server/audit/audit_trail.h"

#include <utility>

#include "common/log/structured_log.h"

namespace lss {
namespace {

// Enough to say what happened; a longer message says nothing more.
constexpr size_t kMaxDetailLength = 1000;

}  // namespace

void AuditTrail::Record(const CallerIdentity& caller, AuditedCall call, const absl::Status& outcome) {
  AuditEvent event;
  event.event_time = clock_.Now();
  event.actor = caller.name;
  event.actor_role = caller.role == Role::kNone ? "" : std::string(RoleName(caller.role));
  event.method = std::move(call.method);
  event.license_id = call.license_id;
  event.target = std::move(call.key_number);
  event.outcome = absl::StatusCodeToString(outcome.code());
  event.detail = outcome.ok() || !call.detail.empty() ? std::move(call.detail) : std::string(outcome.message());
  if (event.detail.size() > kMaxDetailLength) event.detail.resize(kMaxDetailLength);
  event.request_id = caller.request_id;
  pool_.Run([this, event = std::move(event)] {
    absl::StatusOr<AuditEvent> written = events_.Append(event);
    if (!written.ok()) {
      LogEvent(LogLevel::kError, "audit_event_lost")
          .Field("method", event.method)
          .Field("actor", event.actor)
          .Field("request_id", event.request_id)
          .Field("error", written.status().ToString());
    }
  });
}

}  // namespace lss
