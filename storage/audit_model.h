// The audit log as stored: who called which RPC on what, when, and how it
// ended (DESIGN.md §4 "Security"). Knows nothing of SQL or gRPC: the
// handlers fill an AuditEvent from the caller's identity and the answer's
// status, and ListAuditEvents converts it back to a message.
// Plain values: copy them freely between threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "absl/types/optional.h"

namespace lss {

// The widths of audit_events' columns (migrations 0005, 0008), in bytes: the
// audit trail cuts longer values (on a UTF-8 boundary) rather than lose an
// event, and the repository refuses them.
inline constexpr size_t kMaxAuditActorLength = 255;      // actor
inline constexpr size_t kMaxAuditActorRoleLength = 32;   // actor_role
inline constexpr size_t kMaxAuditMethodLength = 128;     // method
inline constexpr size_t kMaxAuditTargetLength = 255;     // target
inline constexpr size_t kMaxAuditOutcomeLength = 64;     // outcome
inline constexpr size_t kMaxAuditRequestIdLength = 255;  // request_id
// detail is a {{TEXT}} column, which SQLite does not bound and MySQL's
// MEDIUMTEXT bounds at 16 MiB: this policy limit keeps both alike and an
// audit line a line, not a payload.
inline constexpr size_t kMaxAuditDetailLength = 65535;   // detail

struct AuditEvent {
  int64_t event_id = 0;  // assigned by AuditRepository::Append; grows with each append
  absl::Time event_time = absl::UnixEpoch();
  // The caller's token name and role ("viewer", "operator", "admin"); empty
  // when the server runs without authentication.
  std::string actor;
  std::string actor_role;
  std::string method;                  // the RPC, e.g. "SyncLicense"
  absl::optional<int64_t> license_id;  // the license the call named, if any
  std::string target;                  // a job id, upgrade id or key number; may be empty
  std::string outcome;                 // the gRPC code name of the answer: "OK", "NOT_FOUND"
  std::string detail;                  // for a person: what changed, or why it was refused
  std::string request_id;              // the caller's request_id (AIP-155), if any
  // How many calls the event stands for: 1, or for refused calls counted
  // together (server/audit/refusal_tally.h) how many were refused.
  int64_t call_count = 1;

  bool operator==(const AuditEvent&) const = default;
};

// Which events ListAuditEvents returns: those matching every set field.
struct AuditFilter {
  absl::optional<int64_t> license_id;
  // Set to "" to find the calls made without authentication.
  absl::optional<std::string> actor;
  absl::optional<std::string> method;
  absl::optional<absl::Time> since;   // event_time >= since
  absl::optional<absl::Time> before;  // event_time < before

  bool operator==(const AuditFilter&) const = default;
};

}  // namespace lss
