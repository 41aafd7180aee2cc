#include "common/log/structured_log.h"

#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/text/utf8.h"

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
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const size_t length = Utf8SequenceLength(text.substr(i));
    if (length == 0) {
      // Not UTF-8: a log line must still be valid JSON (RFC 8259 §8.1), so
      // the byte becomes U+FFFD.
      quoted += "\\ufffd";
      ++i;
      continue;
    }
    if (length > 1) {
      const absl::string_view sequence = text.substr(i, length);
      // C1 controls (U+0080..U+009F) act on terminals as ESC sequences do;
      // U+2028 and U+2029 end lines in JavaScript: escaped like C0.
      const bool c1 = length == 2 && c == 0xC2 && static_cast<unsigned char>(sequence[1]) < 0xA0;
      const bool separator = sequence == "\xE2\x80\xA8" || sequence == "\xE2\x80\xA9";
      if (c1) {
        absl::StrAppendFormat(&quoted, "\\u%04x", static_cast<unsigned char>(sequence[1]));
      } else if (separator) {
        absl::StrAppendFormat(&quoted, "\\u%04x", sequence[2] == '\xA8' ? 0x2028 : 0x2029);
      } else {
        quoted.append(sequence.data(), sequence.size());
      }
      i += length;
      continue;
    }
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
        // C0 controls must be escaped in JSON; DEL need not be, but it is a
        // control character a terminal acts on.
        if (c < 0x20 || c == 0x7F) {
          absl::StrAppendFormat(&quoted, "\\u%04x", c);
        } else {
          quoted += static_cast<char>(c);
        }
    }
    ++i;
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
