// P and W of DESIGN.md §5's unary floors, bare: what the database alone
// gives a GetLicense (P, a point SELECT of one license row, every column of
// the licenses table, by primary key) and a SyncLicense (W, an autocommit
// UPDATE of one row's sync columns), by plain SQL through SOCI on the
// server's own licenses table (made by its migrations), with none of our
// code in between. Set beside the bare echo, they bound what license-server
// can give: GetLicense <= 1/(1/echo + 1/P), SyncLicense <=
// 1/(1/echo + 1/P + 1/W).
//
// Each client is a thread with its own session and prepared statement, as
// a server worker with its own connection would be; the calls are driven by
// the same closed loop as the gRPC ones (unary_load.h), so that window,
// warm-up and latency are counted alike.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bench/bare_sql_session.h"
#include "bench/unary_load.h"

namespace lss::bench {

enum class BarePointQuery {
  kRead,   // P: SELECT * FROM licenses WHERE license_id = ?
  kWrite,  // W: UPDATE licenses SET <sync columns> WHERE license_id = ?, autocommit
};

// "P: point SELECT" or "W: autocommit UPDATE", for the report.
absl::string_view BarePointQueryName(BarePointQuery query);

// A caller whose `clients` clients each own a thread and a session to
// `target`, connected and prepared before this returns, naming the licenses
// of `license_ids` in turn (LicenseCycle). W writes each row's sync columns
// with the values of the first license (after an import or a SyncAll every
// license has the same status, job and mismatches) and a new
// last_synced_at, so the licenses stay as SyncAll left them. A failed
// statement ends its call with UNKNOWN and the database's message. The
// caller's threads end with it; destroy it only once its calls have ended.
absl::StatusOr<std::unique_ptr<UnaryCaller>> NewBarePointCaller(const SqlTarget& target, BarePointQuery query,
                                                                std::vector<int64_t> license_ids, int clients);

}  // namespace lss::bench
