#include "tests/harness/temp_dir.h"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace lss::harness {

absl::StatusOr<TempDir> TempDir::Create(absl::string_view label) {
  std::error_code error;
  std::filesystem::path base = std::filesystem::temp_directory_path(error);
  if (error) base = "/tmp";
  std::string pattern =
      (base / absl::StrCat("lss-", label, "-XXXXXX")).string();
  // mkdtemp edits its argument in place, so it needs a writable buffer.
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) {
    return absl::InternalError(
        absl::StrCat("mkdtemp(", pattern, ") failed: ", std::strerror(errno)));
  }
  return TempDir(std::string(buffer.data()));
}

TempDir::TempDir(TempDir&& other) noexcept
    : path_(std::exchange(other.path_, std::string())) {}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    Remove();
    path_ = std::exchange(other.path_, std::string());
  }
  return *this;
}

TempDir::~TempDir() { Remove(); }

std::string TempDir::Join(absl::string_view relative) const {
  return absl::StrCat(path_, "/", relative);
}

void TempDir::Remove() {
  if (path_.empty()) return;
  if (getenv("LSS_KEEP_TEST_DIRS") != nullptr) {
    std::cerr << "LSS_KEEP_TEST_DIRS is set: keeping " << path_ << "\n";
  } else {
    // Best effort: a destructor cannot fail, and a leftover directory in
    // $TMPDIR must not turn a passing test into a crash.
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  path_.clear();
}

}  // namespace lss::harness
