#include "licensectl/upgrade_plan.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "licensectl/prompt.h"

namespace licensectl {
namespace {

absl::Status Refuse(absl::string_view message) { return absl::InvalidArgumentError(message); }

// --add-feature (repeatable, one name each, though a list is taken too) and
// --features (a list), merged in order, each name once.
absl::StatusOr<std::vector<std::string>> FeaturesOf(const OptionValues& options) {
  std::vector<std::string> features;
  for (absl::string_view option : {"add-feature", "features"}) {
    for (const std::string& value : options.GetAll(option)) {
      const std::vector<std::string> names = SplitList(value);
      if (names.empty()) return Refuse(absl::StrCat("--", option, " names no feature"));
      for (const std::string& name : names) {
        if (std::find(features.begin(), features.end(), name) == features.end()) features.push_back(name);
      }
    }
  }
  return features;
}

}  // namespace

absl::StatusOr<UpgradePlan> ParseUpgradePlan(const OptionValues& options, const std::vector<std::string>& arguments,
                                             bool json, bool input_is_terminal) {
  UpgradePlan plan;
  if (absl::optional<std::string> resume = options.Get("resume")) {
    if (resume->empty()) return Refuse("--resume needs an UPGRADE_ID ('licensectl upgrades' lists them)");
    if (!arguments.empty() || options.Has(kLicenseIdOption.name) || options.Has(kKeyNumberOption.name)) {
      return Refuse("--resume continues a session of its own license: name no license with it");
    }
    plan.resume_id = *resume;
  } else {
    absl::StatusOr<LicenseSelector> license = SelectLicense(options, arguments);
    if (!license.ok()) return license.status();
    plan.license = *license;
  }

  const bool adopt = options.Has("adopt");
  if (absl::optional<std::string> text = options.Get("capacity")) {
    if (!absl::SimpleAtoi(*text, &plan.capacity) || plan.capacity <= 0) {
      return Refuse(absl::StrCat("--capacity is a whole number from 1 up, e.g. 300; got '", *text, "'"));
    }
  }
  absl::StatusOr<std::vector<std::string>> features = FeaturesOf(options);
  if (!features.ok()) return features.status();
  plan.add_features = *std::move(features);
  if (adopt && (plan.capacity != 0 || !plan.add_features.empty())) {
    return Refuse("--adopt takes KA's configuration as it is: give it without --capacity and features");
  }
  plan.configure = adopt || plan.capacity != 0 || !plan.add_features.empty();

  plan.yes = options.Has("yes");
  plan.cancel = options.Has("cancel");
  if (plan.cancel) {
    if (plan.resume_id.empty()) return Refuse("--cancel cancels a session: give it with --resume UPGRADE_ID");
    if (plan.configure || plan.yes || options.Has("interactive")) {
      return Refuse("--cancel goes alone with --resume: no configuration, --yes or --interactive");
    }
    return plan;
  }

  if (json && options.Has("interactive")) {
    return Refuse("--json asks nothing: give the configuration with --capacity, --add-feature or --adopt "
                  "(and --yes to place the order) instead of --interactive");
  }
  plan.interactive = options.Has("interactive") || (input_is_terminal && !json);
  if (!plan.interactive && !plan.configure && plan.license.has_value()) {
    return Refuse(absl::StrCat(
        "what should change? Give --capacity N, --add-feature FEATURE or --adopt (",
        json ? "--json asks nothing" : "stdin is not a terminal, so licensectl cannot ask; --interactive asks anyway",
        ")"));
  }
  return plan;
}

}  // namespace licensectl
