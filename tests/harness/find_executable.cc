#include "tests/harness/find_executable.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace lss::harness {
namespace {

// access(X_OK) alone also accepts directories.
bool IsExecutableFile(const std::string& path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
         access(path.c_str(), X_OK) == 0;
}

}  // namespace

absl::StatusOr<std::string> FindExecutable(absl::string_view name) {
  if (name.find('/') != absl::string_view::npos) {
    std::string path(name);
    if (!IsExecutableFile(path)) {
      return absl::NotFoundError(absl::StrCat(path, " is not an executable"));
    }
    return path;
  }
  std::vector<std::string> folders;
  if (const char* path_env = getenv("PATH"); path_env != nullptr) {
    folders = absl::StrSplit(path_env, ':', absl::SkipEmpty());
  }
  for (const char* folder : {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
                             "/usr/bin", "/sbin", "/bin"}) {
    folders.emplace_back(folder);
  }
  for (const std::string& folder : folders) {
    std::string candidate = absl::StrCat(folder, "/", name);
    if (IsExecutableFile(candidate)) return candidate;
  }
  return absl::NotFoundError(absl::StrCat("no executable '", name, "' in ",
                                          absl::StrJoin(folders, ":")));
}

}  // namespace lss::harness
