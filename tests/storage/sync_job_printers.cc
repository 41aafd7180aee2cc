#include "tests/storage/sync_job_printers.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/time/time.h"

namespace lss {
namespace {

std::string Time(absl::Time time) { return absl::FormatTime(time, absl::UTCTimeZone()); }

}  // namespace

void PrintTo(const SyncJobCounts& counts, std::ostream* os) {
  *os << "{total " << counts.total << ", processed " << counts.processed << ", in sync "
      << counts.in_sync << ", not in sync " << counts.not_in_sync << ", errors " << counts.errors
      << ", skipped " << counts.skipped << "}";
}

void PrintTo(const SyncJobRecord& job, std::ostream* os) {
  *os << "{job " << job.job_id << " state " << static_cast<int>(job.state) << " scope class \""
      << absl::CHexEscape(job.scope.license_class) << "\" prefix \"" << absl::CHexEscape(job.scope.key_number_prefix)
      << "\" by " << job.created_by << " created "
      << Time(job.create_time) << ", ended "
      << (job.end_time.has_value() ? Time(*job.end_time) : std::string("never")) << ", counts ";
  PrintTo(job.counts, os);
  *os << ", chunks " << job.chunks_done << "/" << job.chunk_count
      << (job.cancel_requested ? ", cancel requested" : "") << (job.bulk ? ", bulk" : "")
      << ", error \"" << absl::CHexEscape(job.error) << "\"}";
}

void PrintTo(const SyncChunk& chunk, std::ostream* os) {
  *os << "{chunk " << chunk.job_id << "#" << chunk.chunk_index;
  if (chunk.is_page()) *os << " page \"" << absl::CHexEscape(*chunk.page_token) << "\"";
  *os << " licenses [" << chunk.first_license_id << ", " << chunk.last_license_id << "] x"
      << chunk.license_count << ", owner \"" << chunk.owner << "\" until "
      << Time(chunk.lease_expires) << ", claim " << chunk.attempts << "}";
}

}  // namespace lss
