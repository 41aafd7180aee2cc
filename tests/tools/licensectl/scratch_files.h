// Files that a test of licensectl writes for it to read (token files, PEM
// files), with the permissions the test chooses, in a directory of their
// own that goes away with the test. Header-only; one per test, one thread.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace licensectl::testing {

class ScratchFiles {
 public:
  ScratchFiles() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/licensectl-test-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp " << pattern;
    directory_ = pattern;
  }
  ~ScratchFiles() {
    for (const std::string& path : files_) unlink(path.c_str());
    rmdir(directory_.c_str());
  }
  ScratchFiles(const ScratchFiles&) = delete;
  ScratchFiles& operator=(const ScratchFiles&) = delete;

  // Writes `contents` to the file `name` with permissions `mode` (exactly:
  // the umask does not narrow them); its path.
  std::string Write(absl::string_view name, absl::string_view contents, mode_t mode = 0600) {
    const std::string path = Path(name);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << contents;
    if (chmod(path.c_str(), mode) != 0) ADD_FAILURE() << "chmod " << path;
    files_.push_back(path);
    return path;
  }

  // The path of `name` here, whether or not it was written.
  std::string Path(absl::string_view name) const { return absl::StrCat(directory_, "/", name); }

 private:
  std::string directory_;
  std::vector<std::string> files_;
};

}  // namespace licensectl::testing
