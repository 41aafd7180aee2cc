#include "licensectl/progress_renderer.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "licensectl/job_printer.h"

namespace licensectl {
namespace {

using licensing::v1::SyncProgress;

// The bar's cells: below the minimum it says too little to be worth its
// room; above the maximum it only pushes the numbers away.
constexpr int kMinBarCells = 10;
constexpr int kMaxBarCells = 30;

absl::Time ToTime(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

absl::Duration ToDuration(const google::protobuf::Duration& duration) {
  return absl::Seconds(duration.seconds()) + absl::Nanoseconds(duration.nanos());
}

// What follows the counts: rate and ETA while the job runs, the pause while
// KA is unreachable, nothing once it ended.
std::string Tail(const SyncProgress& progress) {
  if (IsFinalProgress(progress)) return "";
  if (progress.waiting_for_key_administrator()) return "waiting for KA (unreachable)";
  return absl::StrCat(FormatRate(progress.rate_per_second()), "  ETA ",
                      progress.has_eta() ? FormatEta(ToDuration(progress.eta())) : "-");
}

std::string CountsAndTail(const SyncProgress& progress) {
  std::string text = DescribeProgressCounts(progress);
  if (std::string tail = Tail(progress); !tail.empty()) absl::StrAppend(&text, "  ", tail);
  return text;
}

// Share of the work done, from 0 to 1. A job with nothing in scope is done
// when it ends.
double DoneFraction(const SyncProgress& progress) {
  if (progress.total() <= 0) return IsFinalProgress(progress) ? 1.0 : 0.0;
  return std::clamp(static_cast<double>(progress.processed()) / static_cast<double>(progress.total()), 0.0, 1.0);
}

}  // namespace

std::string FormatEta(absl::Duration eta) {
  const int64_t seconds = std::max<int64_t>(0, absl::ToInt64Seconds(eta + absl::Milliseconds(500)));
  if (seconds < 60) return absl::StrCat(seconds, "s");
  if (seconds < 3600) return absl::StrFormat("%dm%02ds", seconds / 60, seconds % 60);
  return absl::StrFormat("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
}

std::string FormatRate(double per_second) {
  if (!std::isfinite(per_second) || per_second < 0) per_second = 0;
  return per_second < 10 ? absl::StrFormat("%.1f/s", per_second) : absl::StrFormat("%.0f/s", per_second);
}

std::string DescribeProgressCounts(const SyncProgress& progress) {
  std::string done = absl::StrCat(progress.processed(), "/", progress.total());
  if (progress.total() > 0) {
    // Rounded down: 100% only when everything is done.
    absl::StrAppend(&done, " (", progress.processed() * 100 / progress.total(), "%)");
  }
  return absl::StrCat(done, "  in sync ", progress.in_sync(), "  not in sync ", progress.not_in_sync(),
                      "  errors ", progress.errors(), "  skipped ", progress.skipped());
}

bool IsFinalProgress(const SyncProgress& progress) {
  switch (progress.state()) {
    case licensing::v1::SYNC_JOB_STATE_SUCCEEDED:
    case licensing::v1::SYNC_JOB_STATE_CANCELLED:
    case licensing::v1::SYNC_JOB_STATE_FAILED:
      return true;
    default:
      return false;
  }
}

ProgressRenderer::ProgressRenderer(Options options) : options_(options) {}

std::string ProgressRenderer::Render(const SyncProgress& progress, absl::Time now) {
  return options_.style == Style::kLiveBar ? RenderBar(progress) : RenderLine(progress, now);
}

std::string ProgressRenderer::EndLine() {
  if (bar_line_length_ == 0) return "";
  bar_line_length_ = 0;
  return "\n";
}

std::string ProgressRenderer::RenderBar(const SyncProgress& progress) {
  const std::string text = CountsAndTail(progress);
  // Writing the last column makes some terminals wrap at once.
  const int room = std::max(1, options_.width - 1);
  const int bar_cells = std::min(kMaxBarCells, room - static_cast<int>(text.size()) - 3);
  std::string line;
  if (bar_cells >= kMinBarCells) {
    const int filled = static_cast<int>(DoneFraction(progress) * bar_cells);
    line = absl::StrCat("[", std::string(filled, '#'), std::string(bar_cells - filled, '-'), "] ", text);
  } else {
    line = text.substr(0, static_cast<size_t>(room));
  }
  std::string redraw = absl::StrCat("\r", line);
  // Blanks over what a longer previous line left behind.
  if (line.size() < bar_line_length_) redraw.append(bar_line_length_ - line.size(), ' ');
  bar_line_length_ = line.size();
  return redraw;
}

std::string ProgressRenderer::RenderLine(const SyncProgress& progress, absl::Time now) {
  const absl::Time at = progress.has_update_time() ? ToTime(progress.update_time()) : now;
  if (!IsFinalProgress(progress) && last_line_at_.has_value() &&
      at - *last_line_at_ < options_.min_line_interval) {
    return "";
  }
  last_line_at_ = at;
  return absl::StrCat(absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", at, absl::UTCTimeZone()), "  ",
                      SyncJobStateName(progress.state()), "  ", CountsAndTail(progress), "\n");
}

}  // namespace licensectl
