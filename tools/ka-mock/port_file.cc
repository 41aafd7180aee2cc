#include "ka-mock/port_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"

namespace ka_mock {

absl::Status WritePortFile(absl::string_view path, int port) {
  const std::string target(path);
  const std::string temporary = absl::StrCat(target, ".tmp");
  {
    std::ofstream file(temporary, std::ios::trunc);
    file << port << '\n';
    file.close();
    if (!file) {
      return absl::UnavailableError(absl::StrCat("cannot write ", temporary));
    }
  }
  if (std::rename(temporary.c_str(), target.c_str()) != 0) {
    const int error = errno;
    std::remove(temporary.c_str());
    return absl::UnavailableError(absl::StrCat("cannot rename ", temporary,
                                               " to ", target, ": ",
                                               std::strerror(error)));
  }
  return absl::OkStatus();
}

}  // namespace ka_mock
