// Who may call what (DESIGN.md §4 "Security"): the least role each
// LicenseService method needs. Roles are cumulative (common/caller_identity.h).
// Reflection and health are other services and stay open. Pure; thread-safe.
#pragma once

#include "absl/strings/string_view.h"
#include "common/caller_identity.h"

namespace lss {

// The role `method` (e.g. "SyncLicense") needs; kAdmin for a method this
// table does not know, so that a new RPC is closed until it is listed.
Role RequiredRole(absl::string_view method);

// Whether `method` changes something, so that its calls are audited.
bool ChangesState(absl::string_view method);

}  // namespace lss
