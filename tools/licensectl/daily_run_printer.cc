#include "licensectl/daily_run_printer.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "licensectl/text_table.h"
#include "licensectl/value_format.h"

namespace licensectl {
namespace {

using licensing::v1::DailyRun;
using licensing::v1::DailyRunPhase;

std::string PhaseName(licensing::v1::DailyRunPhaseKind kind) {
  return ShortEnumName(*licensing::v1::DailyRunPhaseKind_descriptor(), kind, "DAILY_RUN_PHASE_KIND_");
}

std::string StateName(licensing::v1::DailyRunState state) {
  return ShortEnumName(*licensing::v1::DailyRunState_descriptor(), state, "DAILY_RUN_STATE_");
}

std::string TimeOrDash(bool has, const google::protobuf::Timestamp& timestamp) {
  return has ? FormatTimestamp(timestamp) : "-";
}

}  // namespace

std::string RenderDailyRuns(const google::protobuf::RepeatedPtrField<DailyRun>& runs) {
  using Align = TextTable::Align;
  TextTable table({{"RUN DATE"},
                   {"RUN STATE"},
                   {"PHASE"},
                   {"PHASE STATE"},
                   {"PROCESSED", Align::kRight},
                   {"SUCCEEDED", Align::kRight},
                   {"FAILED", Align::kRight},
                   {"STARTED"},
                   {"ENDED"},
                   {"JOB"}});
  std::vector<std::string> failures;
  for (const DailyRun& run : runs) {
    if (run.phases().empty()) {
      table.AddRow({run.run_date(), StateName(run.state()), "-", "-", "-", "-", "-",
                    TimeOrDash(run.has_start_time(), run.start_time()), TimeOrDash(run.has_end_time(), run.end_time()),
                    "-"});
    }
    for (const DailyRunPhase& phase : run.phases()) {
      const std::string phase_name = PhaseName(phase.kind());
      table.AddRow({run.run_date(), StateName(run.state()), phase_name, StateName(phase.state()),
                    absl::StrCat(phase.processed()), absl::StrCat(phase.succeeded()), absl::StrCat(phase.failed()),
                    TimeOrDash(phase.has_start_time(), phase.start_time()),
                    TimeOrDash(phase.has_end_time(), phase.end_time()), phase.job_id().empty() ? "-" : phase.job_id()});
      if (!phase.error().empty()) {
        failures.push_back(absl::StrCat("  ", run.run_date(), " ", phase_name, "  phase failed: ", phase.error()));
      }
      for (const licensing::v1::DailyRunFailure& failure : phase.failures()) {
        failures.push_back(absl::StrCat("  ", run.run_date(), " ", phase_name, "  license ", failure.license_id(),
                                        " (", failure.key_number(), "): ", failure.error()));
      }
      // The server keeps the first 100 failures; say that more happened.
      if (phase.failed() > phase.failures_size() && phase.failures_size() > 0) {
        failures.push_back(absl::StrCat("  ", run.run_date(), " ", phase_name, "  and ",
                                        phase.failed() - phase.failures_size(), " more"));
      }
    }
  }
  std::string text = table.Render();
  if (!failures.empty()) {
    absl::StrAppend(&text, "\nFailures:\n");
    for (const std::string& line : failures) absl::StrAppend(&text, line, "\n");
  }
  return text;
}

}  // namespace licensectl
