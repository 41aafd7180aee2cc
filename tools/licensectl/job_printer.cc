#include "licensectl/job_printer.h"

#include "absl/strings/str_cat.h"
#include "licensectl/license_filter_options.h"
#include "licensectl/text_table.h"
#include "licensectl/value_format.h"

namespace licensectl {
namespace {

// "1 error", "2 errors".
std::string Count(int64_t n, absl::string_view singular, absl::string_view plural) {
  return absl::StrCat(n, " ", n == 1 ? singular : plural);
}

}  // namespace

std::string SyncJobStateName(licensing::v1::SyncJobState state) {
  return ShortEnumName(*licensing::v1::SyncJobState_descriptor(), state, "SYNC_JOB_STATE_");
}

std::string RenderJobTable(const google::protobuf::RepeatedPtrField<licensing::v1::SyncJob>& jobs) {
  using Align = TextTable::Align;
  TextTable table({{"JOB ID"},
                   {"STATE"},
                   {"SCOPE"},
                   {"STARTED BY"},
                   {"TOTAL", Align::kRight},
                   {"PROCESSED", Align::kRight},
                   {"IN SYNC", Align::kRight},
                   {"NOT IN SYNC", Align::kRight},
                   {"ERRORS", Align::kRight},
                   {"SKIPPED", Align::kRight},
                   {"STARTED"},
                   {"ENDED"}});
  for (const licensing::v1::SyncJob& job : jobs) {
    const licensing::v1::SyncProgress& progress = job.progress();
    table.AddRow({job.job_id(), SyncJobStateName(job.state()), DescribeLicenseFilter(job.scope()),
                  job.created_by().empty() ? "-" : job.created_by(), absl::StrCat(progress.total()),
                  absl::StrCat(progress.processed()), absl::StrCat(progress.in_sync()),
                  absl::StrCat(progress.not_in_sync()), absl::StrCat(progress.errors()),
                  absl::StrCat(progress.skipped()),
                  job.has_create_time() ? FormatTimestamp(job.create_time()) : "-",
                  job.has_end_time() ? FormatTimestamp(job.end_time()) : "-"});
  }
  return table.Render();
}

std::string RenderJobSummary(const licensing::v1::SyncProgress& final_progress, const std::string& error) {
  const licensing::v1::SyncProgress& p = final_progress;
  std::string text = absl::StrCat("Job ", p.job_id(), " ", SyncJobStateName(p.state()), ": ", p.processed(),
                                  " of ", Count(p.total(), "license", "licenses"), " processed: ", p.in_sync(),
                                  " in sync, ", p.not_in_sync(), " not in sync, ",
                                  Count(p.errors(), "error", "errors"), ", ", p.skipped(), " skipped.\n");
  if (!error.empty()) absl::StrAppend(&text, "Job error: ", error, "\n");
  if (p.not_in_sync() > 0) {
    absl::StrAppend(&text, "Not In Sync licenses: licensectl list --status not-in-sync\n");
  }
  if (p.errors() > 0) {
    absl::StrAppend(&text,
                    "Licenses whose sync failed kept their status; 'licensectl get ID' shows the last sync error.\n");
  }
  return text;
}

}  // namespace licensectl
