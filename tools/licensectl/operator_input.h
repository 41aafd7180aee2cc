// Where a command reads the operator's answers (upgrade's questions,
// terminate's confirmation), and whether anyone is there to answer.
// Injected rather than read from std::cin so that tests feed answers from a
// string.
#pragma once

#include <istream>

namespace licensectl {

struct OperatorInput {
  // The answers, one per line; null: no input at all (as at end of file).
  std::istream* stream = nullptr;
  // The stream is a terminal: a person may answer, so commands ask without
  // being told to (--interactive). A pipe or a file is a script's input.
  bool is_terminal = false;
};

}  // namespace licensectl
