// Structured logs: one JSON object per line on stderr, so that a log
// collector parses every field without regular expressions, and a person
// still reads it (`jq` or plain `less`).
//
//   LogEvent(LogLevel::kWarning, "upgrade_sweep")
//       .Field("upgrade_id", id)
//       .Field("error", status.ToString());
//
// writes, when the temporary ends,
//   {"time":"2026-11-28T03:46:27.123456Z","level":"warning","event":"upgrade_sweep","upgrade_id":"…","error":"…"}
//
// Fields keep the order given. Values are escaped as JSON strings, so a
// caller's text cannot forge a line: C0 and C1 controls, DEL, U+2028 and
// U+2029 as \uXXXX, and bytes that are not UTF-8 as U+FFFD, so every line
// is valid UTF-8 JSON whatever a caller, KA or the database sent. Each line is
// one write(2) of the whole line, so lines of concurrent threads never
// interleave. Thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace lss {

enum class LogLevel { kInfo, kWarning, kError };

class LogEvent {
 public:
  LogEvent(LogLevel level, absl::string_view event);
  // Writes the line.
  ~LogEvent();

  LogEvent(const LogEvent&) = delete;
  LogEvent& operator=(const LogEvent&) = delete;

  LogEvent& Field(absl::string_view key, absl::string_view value);
  LogEvent& Field(absl::string_view key, const char* value) { return Field(key, absl::string_view(value)); }
  LogEvent& Field(absl::string_view key, int64_t value);
  LogEvent& Field(absl::string_view key, int value) { return Field(key, static_cast<int64_t>(value)); }
  LogEvent& Field(absl::string_view key, bool value);
  // Milliseconds with microsecond precision, e.g. "duration_ms":1.234.
  LogEvent& Milliseconds(absl::string_view key, absl::Duration value);

 private:
  void Key(absl::string_view key);

  std::string line_;
};

// `text` as a JSON string literal, quotes included. Exposed for tests.
std::string JsonQuoted(absl::string_view text);

}  // namespace lss
