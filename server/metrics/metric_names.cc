#include "server/metrics/metric_names.h"

#include <cstdio>
#include <cstdlib>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace lss::metrics {
namespace {

bool IsNameChar(char c, bool first, bool colon_allowed) {
  if (absl::ascii_isalpha(static_cast<unsigned char>(c)) || c == '_') return true;
  if (colon_allowed && c == ':') return true;
  return !first && absl::ascii_isdigit(static_cast<unsigned char>(c));
}

bool IsValidName(absl::string_view name, bool colon_allowed) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (!IsNameChar(name[i], i == 0, colon_allowed)) return false;
  }
  return true;
}

}  // namespace

bool IsValidMetricName(absl::string_view name) { return IsValidName(name, /*colon_allowed=*/true); }

bool IsValidLabelName(absl::string_view name) {
  return IsValidName(name, /*colon_allowed=*/false) && !absl::StartsWith(name, "__");
}

void MetricsBug(absl::string_view what) {
  std::fprintf(stderr, "metrics: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

void RequireValidNames(absl::string_view name, const std::vector<std::string>& label_names,
                       absl::string_view reserved) {
  if (!IsValidMetricName(name)) MetricsBug(absl::StrCat("invalid metric name \"", name, "\""));
  absl::flat_hash_set<absl::string_view> seen;
  for (const std::string& label : label_names) {
    if (!IsValidLabelName(label) || (!reserved.empty() && label == reserved)) {
      MetricsBug(absl::StrCat("invalid label name \"", label, "\" of metric ", name));
    }
    if (!seen.insert(label).second) MetricsBug(absl::StrCat("label \"", label, "\" twice in metric ", name));
  }
}

}  // namespace lss::metrics
