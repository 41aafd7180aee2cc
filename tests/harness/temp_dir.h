// TempDir: a fresh directory for one test's files (databases, logs, port
// files, sockets), removed with everything in it when the TempDir goes away.
//
// Set LSS_KEEP_TEST_DIRS=1 to keep the directories for a post-mortem; each
// kept path is printed to stderr when its TempDir is destroyed.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lss::harness {

// Owns one directory. Movable, not copyable: exactly one owner removes it.
// Not thread-safe to mutate (move, destroy); path() may be read concurrently.
class TempDir {
 public:
  // Creates "<tmp>/lss-<label>-XXXXXX", where <tmp> is $TMPDIR or /tmp. The
  // label only helps a person find the directory; uniqueness comes from
  // mkdtemp. Keep labels short: UNIX socket paths are limited to 107 bytes.
  static absl::StatusOr<TempDir> Create(absl::string_view label);

  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  // The absolute path of the directory.
  const std::string& path() const { return path_; }

  // path() + "/" + relative; creates nothing.
  std::string Join(absl::string_view relative) const;

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  void Remove();

  std::string path_;  // empty once moved from
};

}  // namespace lss::harness
