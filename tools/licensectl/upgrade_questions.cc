#include "licensectl/upgrade_questions.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace licensectl {
namespace {

using licensing::v1::Upgrade;
using licensing::v1::UpgradeOptions;

std::string OfferedNames(const UpgradeOptions& options) {
  std::vector<std::string> names;
  for (const auto& feature : options.features()) names.push_back(feature.api_name());
  return absl::StrJoin(names, ", ");
}

std::string UnitSuffix(const Upgrade& session) {
  const std::string& unit = session.options().capacity_unit();
  return unit.empty() ? "" : absl::StrCat(" ", unit);
}

}  // namespace

absl::StatusOr<int64_t> ParseCapacityAnswer(absl::string_view answer, const Upgrade& session) {
  if (answer.empty()) return 0;
  const auto& steps = session.options().capacity_steps();
  const std::string offered = absl::StrJoin(steps, ", ");
  int64_t capacity = 0;
  if (!absl::SimpleAtoi(answer, &capacity) || capacity <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", answer, "' is not a capacity: give a whole number", steps.empty() ? "" : ", one of ",
                     offered, ", or Enter to keep the current one"));
  }
  if (steps.empty() || std::find(steps.begin(), steps.end(), capacity) != steps.end()) return capacity;
  const int64_t current = session.ka_configuration().capacity();
  if (capacity < current) {
    return absl::InvalidArgumentError(absl::StrCat(capacity, " is below the current ", current, UnitSuffix(session),
                                                   ": an upgrade only goes up; offered: ", offered));
  }
  return absl::InvalidArgumentError(absl::StrCat(capacity, " is not offered; choose one of ", offered));
}

absl::StatusOr<std::vector<std::string>> ParseFeaturesAnswer(absl::string_view answer, const UpgradeOptions& options) {
  std::vector<std::string> chosen;
  std::vector<std::string> unknown;
  for (const std::string& word : SplitList(answer)) {
    auto offered = std::find_if(options.features().begin(), options.features().end(), [&](const auto& feature) {
      return absl::EqualsIgnoreCase(feature.api_name(), word);
    });
    if (offered == options.features().end()) {
      unknown.push_back(word);
    } else if (std::find(chosen.begin(), chosen.end(), offered->api_name()) == chosen.end()) {
      chosen.push_back(offered->api_name());
    }
  }
  if (!unknown.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(absl::StrJoin(unknown, ", "),
                                                   unknown.size() == 1 ? " is" : " are",
                                                   " not offered for this license; offered: ", OfferedNames(options)));
  }
  return chosen;
}

absl::optional<UpgradeChoice> AskUpgradeChoice(Prompter& prompter, const Upgrade& session) {
  UpgradeChoice choice;
  const int64_t current = session.ka_configuration().capacity();
  const auto& steps = session.options().capacity_steps();
  const bool larger_offered = std::any_of(steps.begin(), steps.end(), [&](int64_t step) { return step > current; });
  if (!larger_offered && !steps.empty()) {
    prompter.Explain(absl::StrCat("Capacity stays ", current, UnitSuffix(session), ": no larger step is offered."));
  } else {
    const std::string question =
        absl::StrCat("Capacity", UnitSuffix(session).empty() ? "" : absl::StrCat(" in", UnitSuffix(session)),
                     steps.empty() ? "" : absl::StrCat(" (offered: ", absl::StrJoin(steps, ", "), ")"),
                     ", Enter keeps ", current, ": ");
    while (true) {
      absl::optional<std::string> answer = prompter.Ask(question);
      if (!answer.has_value()) return absl::nullopt;
      absl::StatusOr<int64_t> capacity = ParseCapacityAnswer(*answer, session);
      if (capacity.ok()) {
        choice.capacity = *capacity;
        break;
      }
      prompter.Explain(capacity.status().message());
    }
  }

  if (session.options().features().empty()) {
    prompter.Explain("No features to add: none is offered for this license.");
    return choice;
  }
  const std::string question = absl::StrCat("Features to add, comma-separated (offered: ",
                                            OfferedNames(session.options()), "), Enter adds none: ");
  while (true) {
    absl::optional<std::string> answer = prompter.Ask(question);
    if (!answer.has_value()) return absl::nullopt;
    absl::StatusOr<std::vector<std::string>> features = ParseFeaturesAnswer(*answer, session.options());
    if (features.ok()) {
      choice.add_features = *std::move(features);
      return choice;
    }
    prompter.Explain(features.status().message());
  }
}

}  // namespace licensectl
