// A GoogleTest printer for AuditEvent, so that a failed EXPECT_EQ shows
// fields rather than bytes. Found by ADL. Inline: one small function needs
// no library of its own.
#pragma once

#include <ostream>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/time/time.h"
#include "storage/audit_model.h"

namespace lss {

inline void PrintTo(const AuditEvent& event, std::ostream* os) {
  *os << "{event " << event.event_id << " at "
      << absl::FormatTime(event.event_time, absl::UTCTimeZone()) << " by \""
      << absl::CHexEscape(event.actor) << "\" (" << event.actor_role << ") " << event.method
      << " license "
      << (event.license_id.has_value() ? std::to_string(*event.license_id) : std::string("none"))
      << " target \"" << absl::CHexEscape(event.target) << "\" -> " << event.outcome
      << ", request \"" << absl::CHexEscape(event.request_id) << "\", detail \""
      << absl::CHexEscape(event.detail) << "\"}";
}

}  // namespace lss
