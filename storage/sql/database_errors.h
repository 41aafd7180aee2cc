// Where SOCI's exceptions become absl::Status. SOCI reports every failure by
// throwing; storage catches at its edge (SqlRunner, ConnectionPool) and
// classifies the exception here, so the mapping from driver error codes to
// canonical codes lives in one place.
//
// Messages carry the driver's own error text, never SOCI's context (which
// may quote the statement and its bound values) and never a connect string.
//
// Pure functions; thread-safe.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace lss::storage {

enum class DatabaseErrorKind {
  kUnavailable,   // cannot reach or use the server: down, lost, refused, busy
  kDeadlock,      // chosen as a deadlock victim: the transaction may be rerun
  kDuplicateKey,  // a unique key already holds the value
  kOther,         // anything else: a bug, a broken schema, a corrupt file
};

struct DatabaseError {
  DatabaseErrorKind kind = DatabaseErrorKind::kOther;
  std::string message;
};

// Classifies the exception being handled. Call only inside a catch block.
DatabaseError ClassifyCurrentException();

// The Status callers see, "<action>: <message>":
//   kUnavailable, kDeadlock  UNAVAILABLE        DATABASE_UNAVAILABLE (retry later)
//   kDuplicateKey            ALREADY_EXISTS     DATABASE_ERROR (callers that
//                                               expect one give their own reason)
//   kOther                   INTERNAL           DATABASE_ERROR
absl::Status DatabaseErrorStatus(const DatabaseError& error, absl::string_view action);

}  // namespace lss::storage
