#include "licensectl/prompt.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace licensectl {

Prompter::Prompter(std::istream& answers, std::ostream& questions, std::ostream& output, bool echo_answers)
    : answers_(answers), questions_(questions), output_(output), echo_answers_(echo_answers) {}

absl::optional<std::string> Prompter::Ask(absl::string_view question) {
  output_.flush();
  questions_ << question;
  questions_.flush();
  std::string line;
  // A last line without its newline is still an answer.
  if (!std::getline(answers_, line) && line.empty()) {
    questions_ << "\n";
    return absl::nullopt;
  }
  std::string answer(absl::StripAsciiWhitespace(line));
  if (echo_answers_) questions_ << answer << "\n";
  return answer;
}

absl::optional<bool> Prompter::Confirm(absl::string_view question) {
  while (true) {
    absl::optional<std::string> answer = Ask(absl::StrCat(question, " [y/N] "));
    if (!answer.has_value()) return absl::nullopt;
    if (absl::optional<bool> yes = ParseYesNo(*answer)) return yes;
    Explain(absl::StrCat("Please answer y or n (Enter is n); got '", *answer, "'."));
  }
}

void Prompter::Explain(absl::string_view why) { questions_ << why << "\n"; }

absl::optional<bool> ParseYesNo(absl::string_view answer) {
  const std::string word = absl::AsciiStrToLower(absl::StripAsciiWhitespace(answer));
  if (word == "y" || word == "yes") return true;
  if (word.empty() || word == "n" || word == "no") return false;
  return absl::nullopt;
}

std::vector<std::string> SplitList(absl::string_view text) {
  return absl::StrSplit(text, absl::ByAnyChar(", \t"), absl::SkipEmpty());
}

}  // namespace licensectl
