#include "tests/harness/child_environment.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

extern char** environ;

namespace lss::harness {

std::vector<std::string> ChildEnvironment(const std::vector<std::pair<std::string, std::string>>& overrides) {
  absl::flat_hash_set<std::string> overridden;
  for (const auto& [key, value] : overrides) overridden.insert(key);
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    absl::string_view var(*entry);
    absl::string_view key = var.substr(0, var.find('='));
    if (!overridden.contains(key)) env.emplace_back(var);
  }
  for (const auto& [key, value] : overrides) {
    env.push_back(absl::StrCat(key, "=", value));
  }
  return env;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

}  // namespace lss::harness
