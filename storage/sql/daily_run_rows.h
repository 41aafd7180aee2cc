// The daily_runs, daily_run_phases and daily_run_failures tables seen from
// C++: reading a run with its phases and failures, and writing a phase.
//
// These functions throw SOCI's exceptions: call them inside SqlRunner work.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/daily_run_model.h"
#include "storage/sql/sql_statement.h"

namespace lss::storage {

// The runs that `where` ("WHERE ... ORDER BY ... LIMIT ...", its values in
// `params`) selects from daily_runs, each with its phases and failures.
// DATA_LOSS (DATABASE_ERROR) for a row that does not decode.
absl::StatusOr<std::vector<DailyRunRecord>> QueryDailyRuns(soci::session& session,
                                                           absl::string_view where,
                                                           const SqlParams& params);

// Replaces the phase `phase.kind` of the run of `run_date`, failures
// included.
void WritePhase(soci::session& session, absl::string_view run_date, const DailyRunPhase& phase);

}  // namespace lss::storage
