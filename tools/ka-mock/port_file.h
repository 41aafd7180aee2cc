#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace ka_mock {

// Writes `port` as decimal text to `path` atomically (a temporary file in
// the same directory, then rename), so that a test that started ka-mock on
// port 0 and waits for the file never reads half of it. The file appearing
// also tells that the server is ready.
absl::Status WritePortFile(absl::string_view path, int port);

}  // namespace ka_mock
