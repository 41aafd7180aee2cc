#include "server/metrics/text_format.h"

#include <charconv>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace lss::metrics {
namespace {

std::string Escape(absl::string_view text, bool quote) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quote && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

// `{a="x",b="y"}`, with `extra_name="extra_value"` last when given (a
// bucket's le); nothing at all when there is no label.
void AppendLabelSet(std::string& out, const SeriesLabels& labels, absl::string_view extra_name = "",
                    absl::string_view extra_value = "") {
  if (labels.names.empty() && extra_name.empty()) return;
  out += '{';
  for (size_t i = 0; i < labels.names.size(); ++i) {
    if (i > 0) out += ',';
    absl::StrAppend(&out, labels.names[i], "=\"", EscapeLabelValue(labels.values[i]), "\"");
  }
  if (!extra_name.empty()) {
    if (!labels.names.empty()) out += ',';
    absl::StrAppend(&out, extra_name, "=\"", extra_value, "\"");
  }
  out += '}';
}

void AppendLine(std::string& out, absl::string_view name, absl::string_view suffix, const SeriesLabels& labels,
                absl::string_view value, absl::string_view extra_name = "", absl::string_view extra_value = "") {
  absl::StrAppend(&out, name, suffix);
  AppendLabelSet(out, labels, extra_name, extra_value);
  absl::StrAppend(&out, " ", value, "\n");
}

}  // namespace

std::string EscapeHelp(absl::string_view help) { return Escape(help, /*quote=*/false); }

std::string EscapeLabelValue(absl::string_view value) { return Escape(value, /*quote=*/true); }

std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[32];
  const std::to_chars_result written = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, written.ptr);
}

void AppendHeader(std::string& out, absl::string_view name, absl::string_view help, absl::string_view type) {
  absl::StrAppend(&out, "# HELP ", name, " ", EscapeHelp(help), "\n# TYPE ", name, " ", type, "\n");
}

void AppendSamples(std::string& out, absl::string_view name, const SeriesLabels& labels, const Counter& counter) {
  AppendLine(out, name, "", labels, absl::StrCat(counter.Value()));
}

void AppendSamples(std::string& out, absl::string_view name, const SeriesLabels& labels, const Gauge& gauge) {
  AppendLine(out, name, "", labels, FormatValue(gauge.Value()));
}

void AppendSamples(std::string& out, absl::string_view name, const SeriesLabels& labels, const CallbackGauge& gauge) {
  AppendLine(out, name, "", labels, FormatValue(gauge.Value()));
}

void AppendSamples(std::string& out, absl::string_view name, const SeriesLabels& labels, const Histogram& histogram) {
  const Histogram::Snapshot snapshot = histogram.Read();
  for (size_t i = 0; i < snapshot.bounds.size(); ++i) {
    AppendLine(out, name, "_bucket", labels, absl::StrCat(snapshot.cumulative[i]), "le",
               FormatValue(snapshot.bounds[i]));
  }
  AppendLine(out, name, "_bucket", labels, absl::StrCat(snapshot.count), "le", "+Inf");
  AppendLine(out, name, "_sum", labels, FormatValue(snapshot.sum));
  AppendLine(out, name, "_count", labels, absl::StrCat(snapshot.count));
}

}  // namespace lss::metrics
