#include "common/log/structured_log.h"

#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace lss {
namespace {

absl::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

}  // namespace

std::string JsonQuoted(absl::string_view text) {
  std::string quoted = "\"";
  quoted.reserve(text.size() + 2);
  for (const char c : text) {
    switch (c) {
      case '"':
        quoted += "\\\"";
        break;
      case '\\':
        quoted += "\\\\";
        break;
      case '\n':
        quoted += "\\n";
        break;
      case '\r':
        quoted += "\\r";
        break;
      case '\t':
        quoted += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppendFormat(&quoted, "\\u%04x", static_cast<unsigned char>(c));
        } else {
          quoted += c;
        }
    }
  }
  quoted += '"';
  return quoted;
}

LogEvent::LogEvent(LogLevel level, absl::string_view event) {
  line_ = absl::StrCat("{\"time\":\"", absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(), absl::UTCTimeZone()),
                       "\",\"level\":\"", LevelName(level), "\",\"event\":", JsonQuoted(event));
}

LogEvent::~LogEvent() {
  line_ += "}\n";
  // One write: stderr is unbuffered, and a single write(2) of a line keeps
  // concurrent lines whole. A failed log write has nowhere to be reported.
  const char* data = line_.data();
  size_t left = line_.size();
  while (left > 0) {
    const ssize_t written = write(STDERR_FILENO, data, left);
    if (written <= 0) return;
    data += written;
    left -= static_cast<size_t>(written);
  }
}

void LogEvent::Key(absl::string_view key) { absl::StrAppend(&line_, ",", JsonQuoted(key), ":"); }

LogEvent& LogEvent::Field(absl::string_view key, absl::string_view value) {
  Key(key);
  line_ += JsonQuoted(value);
  return *this;
}

LogEvent& LogEvent::Field(absl::string_view key, int64_t value) {
  Key(key);
  absl::StrAppend(&line_, value);
  return *this;
}

LogEvent& LogEvent::Field(absl::string_view key, bool value) {
  Key(key);
  line_ += value ? "true" : "false";
  return *this;
}

LogEvent& LogEvent::Milliseconds(absl::string_view key, absl::Duration value) {
  Key(key);
  absl::StrAppendFormat(&line_, "%.3f", absl::ToDoubleMilliseconds(value));
  return *this;
}

}  // namespace lss
