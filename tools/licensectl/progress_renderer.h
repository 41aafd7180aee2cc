// How a SyncAll job's progress looks while licensectl follows it (sync-all,
// watch), shared so that both look alike:
//  - on a terminal, one line redrawn in place with '\r':
//      [#######-------------] 120/300 (40%)  in sync 100  not in sync 15
//        errors 3  skipped 2  12/s  ETA 14s                   (one line)
//    fitted to the terminal's width (a wrapped line cannot be redrawn): the
//    bar shrinks, then goes, before any text is cut;
//  - elsewhere (a pipe, a log file, CI), plain lines, at most one per
//    `min_line_interval` of the events' own time (the server's update_time;
//    the caller's clock for an event without one), so that a log of a long
//    job stays readable; the first and the final event are always printed:
//      2026-01-15 10:20:30 UTC  RUNNING  120/300 (40%)  in sync 100
//        not in sync 15  errors 3  skipped 2  12/s  ETA 14s   (one line)
// A final event (the job ended) shows no rate or ETA. While KA is
// unreachable the job pauses, and "waiting for KA" replaces rate and ETA.
//
// Pure: the caller passes the time and writes the text. Not thread-safe.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "licensing/v1/sync.pb.h"

namespace licensectl {

// "14s", "3m05s", "2h04m": rounded to the second, hours keep minutes only.
std::string FormatEta(absl::Duration eta);

// "3.2/s" below 10 per second, "250/s" from 10 up: a tenth matters only
// while the rate is small.
std::string FormatRate(double per_second);

// "120/300 (40%)  in sync 100  not in sync 15  errors 3  skipped 2": what is
// done and each outcome, always all four so that columns stay put.
std::string DescribeProgressCounts(const licensing::v1::SyncProgress& progress);

// True when the event is a job's last: SUCCEEDED, CANCELLED or FAILED.
bool IsFinalProgress(const licensing::v1::SyncProgress& progress);

class ProgressRenderer {
 public:
  enum class Style { kLiveBar, kPlainLines };
  struct Options {
    Style style = Style::kPlainLines;
    // Columns of the terminal (kLiveBar).
    int width = 80;
    // Least time between two plain lines (kPlainLines).
    absl::Duration min_line_interval = absl::Seconds(1);
  };

  explicit ProgressRenderer(Options options);

  // The text to write for `progress`: the bar redrawn ("\r" and the line,
  // padded over a longer previous one), a plain line ending in '\n', or ""
  // (a plain line too soon after the last one). `now` is the caller's clock,
  // used for events without an update_time.
  std::string Render(const licensing::v1::SyncProgress& progress, absl::Time now);

  // Ends the bar's line ("\n") so that what follows starts on a line of its
  // own; "" when no bar is on screen (and for plain lines).
  std::string EndLine();

 private:
  std::string RenderBar(const licensing::v1::SyncProgress& progress);
  std::string RenderLine(const licensing::v1::SyncProgress& progress, absl::Time now);

  const Options options_;
  // kLiveBar: the length of the line on screen; 0 when none is.
  size_t bar_line_length_ = 0;
  // kPlainLines: the time of the last line printed.
  absl::optional<absl::Time> last_line_at_;
};

}  // namespace licensectl
