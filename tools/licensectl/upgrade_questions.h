// The wizard's questions about the configuration: the capacity and the
// features to add, each answer checked against what the session offers
// (StartUpgrade's options) so that a typo is caught and asked again at
// once. The server still judges the configuration: a choice these checks
// let through may be refused by ConfigureUpgrade.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "licensectl/prompt.h"
#include "licensing/v1/upgrade.pb.h"

namespace licensectl {

// A configuration as ConfigureUpgrade takes it.
struct UpgradeChoice {
  // 0 keeps KA's capacity.
  int64_t capacity = 0;
  std::vector<std::string> add_features;
};

// The capacity answer: "" (Enter) keeps the current one (0); otherwise a
// whole number that is one of the offered steps (any number when none are
// listed). INVALID_ARGUMENT saying what is offered otherwise.
absl::StatusOr<int64_t> ParseCapacityAnswer(absl::string_view answer, const licensing::v1::Upgrade& session);

// The features answer: a list (commas or blanks), each an offered feature's
// API name in any case, given back as the API name, each once; "" adds
// none. INVALID_ARGUMENT naming the features not offered and those that are.
absl::StatusOr<std::vector<std::string>> ParseFeaturesAnswer(absl::string_view answer,
                                                             const licensing::v1::UpgradeOptions& options);

// Asks for the capacity, then the features, each until the answer is
// valid; a question with nothing to choose from is skipped with a word why.
// nullopt when the input ends first.
absl::optional<UpgradeChoice> AskUpgradeChoice(Prompter& prompter, const licensing::v1::Upgrade& session);

}  // namespace licensectl
