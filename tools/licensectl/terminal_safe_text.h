// What licensectl lets through to a terminal or a pipe. It prints strings
// that came from the server (and, through it, from KA): key numbers,
// messages, mismatch values, feature names, errors. A string holding
// ESC [2J, an OSC sequence or a C1 CSI (U+009B) would drive the operator's
// terminal instead of showing: clear it, retitle it, rewrite what is on
// screen, or make a Not In Sync line read In Sync. So every character that
// controls rather than shows is replaced:
//   - C0 controls U+0000..U+001F (ESC, CR, BS, tab, newline...), DEL U+007F
//     and C1 controls U+0080..U+009F;
//   - bytes that are not valid UTF-8 (overlong forms, surrogates, stray
//     continuation bytes, truncated sequences), one replacement per maximal
//     invalid subpart as Unicode recommends (Unicode 15, section 3.9);
// each by U+FFFD, the replacement character, which terminals show as a
// visible mark: the operator sees that something was there, and nothing
// runs. Every other character, non-ASCII ones included, is kept.
//
// One rule, applied where text crosses a boundary:
//   - the server's responses as they arrive (terminal_safe_responses.h):
//     each string is one field, newlines replaced too, so that commands
//     compose lines from values that stay on them;
//   - the text layouts (text_table.h, field_list.h), whose cells are made
//     fields too before they are measured;
//   - the output streams (terminal_safe_output.h), the last word on every
//     byte printed, which keep the newlines licensectl writes itself.
#pragma once

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace licensectl {

// U+FFFD in UTF-8.
inline constexpr char kReplacementCharacter[] = "\xEF\xBF\xBD";

// The replacement above over a text that may arrive in pieces (a stream's
// writes): a UTF-8 sequence cut between two pieces is judged once complete.
// One per stream; not thread-safe.
class TerminalSafeFilter {
 public:
  enum class Newlines {
    // '\n' is replaced like every other control: the text is one field.
    kReplace,
    // '\n' is kept: licensectl's own line ends.
    kKeep,
  };

  explicit TerminalSafeFilter(Newlines newlines);

  // Appends the safe form of `piece` to `out`. An incomplete UTF-8
  // sequence at the end of `piece` is held for the next call.
  void Append(absl::string_view piece, std::string& out);

  // Ends the text: a sequence still held is incomplete, and is replaced.
  void Finish(std::string& out);

 private:
  void AppendByte(unsigned char byte, std::string& out);
  void AppendAscii(unsigned char byte, std::string& out);
  // Starts the sequence that `lead` begins; false when no valid sequence
  // begins with it.
  bool StartSequence(unsigned char lead);

  const Newlines newlines_;
  // The bytes of the sequence being read, and how many more it needs.
  std::string pending_;
  int missing_ = 0;
  unsigned char next_low_ = 0x80;
  unsigned char next_high_ = 0xBF;
};

// `text` as one field of output: every control, newlines included, and
// every invalid UTF-8 sequence replaced by U+FFFD.
std::string TerminalSafeField(absl::string_view text);

// The columns that `safe_text` (valid UTF-8, as TerminalSafeField returns)
// takes on a terminal, counted as one per character. Right for the Latin,
// Greek and Cyrillic text that license data holds; an East Asian wide
// character takes two columns and would be counted one.
size_t DisplayWidth(absl::string_view safe_text);

}  // namespace licensectl
