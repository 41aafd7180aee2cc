// licensectl: the operator's command line for the License Sync Service.
// `licensectl --help` lists the commands; each has its own --help.
//
// Exit codes (see exit_codes.h): 0 success (sync: In Sync), 1 the call
// failed, 2 usage error, 3 sync: Not In Sync.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/types/optional.h"
#include "licensectl/app.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  auto environment = [](absl::string_view name) -> absl::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return absl::nullopt;
    return std::string(value);
  };
  const licensectl::ExitCode code = licensectl::RunLicensectl(args, environment, std::cout, std::cerr);
  return static_cast<int>(code);
}
