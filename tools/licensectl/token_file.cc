#include "licensectl/token_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/cleanup/cleanup.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace licensectl {
namespace {

// gRPC refuses metadata above 8 KiB anyway; a larger file is the wrong
// file, and is not read into memory whole.
constexpr size_t kMaxTokenFileBytes = 16 * 1024;

// The permission bits that let someone other than the owner read or
// replace the token.
constexpr mode_t kGroupOrOtherReadWrite = S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH;

absl::Status CannotRead(const std::string& path, int error) {
  return absl::InvalidArgumentError(absl::StrCat("cannot read token file ", path, ": ", std::strerror(error)));
}

}  // namespace

absl::StatusOr<std::string> ReadTokenFile(const std::string& path) {
  // The checks and the read are on one open file, so that the file checked
  // is the file read. A pipe works too: --token-file <(pass show lss).
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return CannotRead(path, errno);
  absl::Cleanup close_fd = [fd] { close(fd); };

  struct stat info = {};
  if (fstat(fd, &info) != 0) return CannotRead(path, errno);
  if (S_ISDIR(info.st_mode)) return CannotRead(path, EISDIR);
  if ((info.st_mode & kGroupOrOtherReadWrite) != 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "token file %s may be read or written by others (mode %04o); it holds a secret, so it must be "
        "accessible by its owner only: chmod 600 %s",
        path, info.st_mode & 07777, path));
  }

  std::string contents;
  char chunk[4096];
  while (contents.size() <= kMaxTokenFileBytes) {
    const ssize_t got = read(fd, chunk, sizeof(chunk));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return CannotRead(path, errno);
    if (got == 0) break;
    contents.append(chunk, static_cast<size_t>(got));
  }
  if (contents.size() > kMaxTokenFileBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("token file ", path, " holds more than ", kMaxTokenFileBytes / 1024, " KiB: not a token"));
  }
  const absl::string_view token = absl::StripAsciiWhitespace(contents);
  if (token.empty()) return absl::InvalidArgumentError(absl::StrCat("token file ", path, " is empty"));
  return std::string(token);
}

}  // namespace licensectl
