// The environment a program that a test starts gets: the test's own, with
// the overrides the test names.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace lss::harness {

// The test's environment with `overrides` applied, as "KEY=VALUE" strings.
std::vector<std::string> ChildEnvironment(const std::vector<std::pair<std::string, std::string>>& overrides);

// Null-terminated char* view of `strings`, for execve and posix_spawn. Valid
// while `strings` is alive and unchanged.
std::vector<char*> CStrings(std::vector<std::string>& strings);

}  // namespace lss::harness
