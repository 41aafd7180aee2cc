// Audit events between the domain's values (storage/audit_model.h) and
// licensing.v1 messages. Pure; thread-safe.
#pragma once

#include "licensing/v1/audit.pb.h"
#include "storage/audit_model.h"

namespace lss {

void ToProto(const AuditEvent& event, licensing::v1::AuditEvent* out);

}  // namespace lss
