// The names the Prometheus data model allows, checked when a metric is
// registered: a bad name would make every scrape unparsable, so it is a bug
// to be caught by the first test that builds the registry, not an error to
// be handled at run time.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace lss::metrics {

// [a-zA-Z_:][a-zA-Z0-9_:]*
bool IsValidMetricName(absl::string_view name);
// [a-zA-Z_][a-zA-Z0-9_]*, not starting with "__" (reserved by Prometheus).
bool IsValidLabelName(absl::string_view name);

// Aborts with `what` on stderr: a metric registered or used against its
// definition (a bad name, a label count that does not match).
[[noreturn]] void MetricsBug(absl::string_view what);

// Aborts unless `name` and every label name are valid and distinct;
// `reserved` is a label name the metric type itself adds ("le").
void RequireValidNames(absl::string_view name, const std::vector<std::string>& label_names,
                       absl::string_view reserved = "");

}  // namespace lss::metrics
