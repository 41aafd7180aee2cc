#include "tests/harness/failure_log.h"

#include <iostream>
#include <string>

#include "gtest/gtest.h"

namespace lss::harness {

void PrintLogTailIfTestFailed(const ChildProcess& process, int lines) {
  if (!::testing::Test::HasFailure()) return;
  std::string tail = process.LogTail(lines);
  if (!tail.empty() && tail.back() != '\n') tail += '\n';
  std::cerr << "---- last " << lines << " lines of " << process.log_path()
            << " ----\n"
            << tail << "---- end of " << process.log_path() << " ----\n";
}

}  // namespace lss::harness
