// The Prometheus text exposition format, version 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/): how one
// family's header and samples are written. MetricFamily calls these; the
// registry puts the families together.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "server/metrics/counter.h"
#include "server/metrics/gauge.h"
#include "server/metrics/histogram.h"

namespace lss::metrics {

// The content type a scrape answers with.
inline constexpr absl::string_view kTextFormatContentType = "text/plain; version=0.0.4; charset=utf-8";

// The labels of one series: names as the family declares them, values in
// the same order.
struct SeriesLabels {
  const std::vector<std::string>& names;
  const std::vector<std::string>& values;
};

// Backslash and newline escaped, as HELP text must be.
std::string EscapeHelp(absl::string_view help);
// Backslash, double quote and newline escaped, as label values must be.
std::string EscapeLabelValue(absl::string_view value);
// Shortest text that reads back as the same double; "+Inf", "-Inf", "NaN".
std::string FormatValue(double value);

// "# HELP name help\n# TYPE name type\n".
void AppendHeader(std::string& out, absl::string_view name, absl::string_view help, absl::string_view type);

// One line per sample: "name{labels} value\n" (no braces without labels);
// a histogram writes name_bucket (cumulative, le="+Inf" last), name_sum and
// name_count.
void AppendSamples(std::string& out, absl::string_view name, const SeriesLabels& labels, const Counter& counter);
void AppendSamples(std::string& out, absl::string_view name, const SeriesLabels& labels, const Gauge& gauge);
void AppendSamples(std::string& out, absl::string_view name, const SeriesLabels& labels, const CallbackGauge& gauge);
void AppendSamples(std::string& out, absl::string_view name, const SeriesLabels& labels, const Histogram& histogram);

}  // namespace lss::metrics
