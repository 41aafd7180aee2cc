// Questions to the operator, answered one line each from a stream: the
// terminal when someone is there, or a file or a string (tests, scripts
// that force --interactive). Questions and answers travel apart from the
// command's output, so that --json and redirected output stay clean.
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/optional.h"

namespace licensectl {

// Asks and reads. One per command run, used from one thread.
class Prompter {
 public:
  // Questions go to `questions` once `output` is flushed, so that what a
  // question is about is on screen before it. With `echo_answers` each
  // answer read is written after its question, so that a transcript of a
  // run fed from a file reads like one at a terminal (a terminal echoes by
  // itself).
  Prompter(std::istream& answers, std::ostream& questions, std::ostream& output, bool echo_answers);

  // Writes `question` and reads one line. The answer without surrounding
  // blanks; nullopt when the input ends before a line.
  absl::optional<std::string> Ask(absl::string_view question);

  // Asks `question` followed by " [y/N] " until the answer is yes or no
  // (ParseYesNo), saying why each other answer is not one. nullopt when the
  // input ends first.
  absl::optional<bool> Confirm(absl::string_view question);

  // Tells the operator why an answer was not taken, before asking again.
  void Explain(absl::string_view why);

 private:
  std::istream& answers_;
  std::ostream& questions_;
  std::ostream& output_;
  bool echo_answers_;
};

// "y" and "yes" are yes; "n", "no" and "" (Enter: the default) are no, in
// any case; anything else is no answer (nullopt).
absl::optional<bool> ParseYesNo(absl::string_view answer);

// The items of a list answer or option: commas and blanks separate them,
// empty items are dropped ("A, B,,C" is A, B, C).
std::vector<std::string> SplitList(absl::string_view text);

}  // namespace licensectl
