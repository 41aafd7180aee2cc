#include "licensectl/terminal_safe_text.h"

#include <algorithm>

namespace licensectl {
namespace {

bool IsContinuationByte(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// U+0080..U+009F, encoded C2 80..C2 9F: the C1 controls (CSI is U+009B).
bool IsC1Control(absl::string_view sequence) {
  return sequence.size() == 2 && static_cast<unsigned char>(sequence[0]) == 0xC2 &&
         static_cast<unsigned char>(sequence[1]) <= 0x9F;
}

}  // namespace

TerminalSafeFilter::TerminalSafeFilter(Newlines newlines) : newlines_(newlines) {}

void TerminalSafeFilter::Append(absl::string_view piece, std::string& out) {
  for (char c : piece) AppendByte(static_cast<unsigned char>(c), out);
}

void TerminalSafeFilter::Finish(std::string& out) {
  if (missing_ == 0) return;
  out += kReplacementCharacter;
  pending_.clear();
  missing_ = 0;
}

void TerminalSafeFilter::AppendByte(unsigned char byte, std::string& out) {
  if (missing_ > 0) {
    if (byte >= next_low_ && byte <= next_high_) {
      pending_ += static_cast<char>(byte);
      next_low_ = 0x80;
      next_high_ = 0xBF;
      if (--missing_ == 0) {
        out += IsC1Control(pending_) ? kReplacementCharacter : pending_;
        pending_.clear();
      }
      return;
    }
    // The sequence broke off: one replacement for what was read of it, and
    // this byte starts afresh (it may be ASCII, or the lead of a sequence).
    Finish(out);
  }
  if (byte < 0x80) {
    AppendAscii(byte, out);
  } else if (!StartSequence(byte)) {
    out += kReplacementCharacter;
  }
}

bool TerminalSafeFilter::StartSequence(unsigned char lead) {
  // The lead bytes, by Unicode Table 3-7 ("Well-Formed UTF-8 Byte
  // Sequences"): how many continuation bytes follow, and the range of the
  // first, narrower after E0, ED, F0 and F4 so as to exclude overlong forms,
  // surrogates and code points above U+10FFFF. Any other byte (a
  // continuation byte with no lead, C0, C1, F5..FF) is never valid.
  struct Lead {
    unsigned char first, last;
    int continuations;
    unsigned char low, high;
  };
  static constexpr Lead kLeads[] = {
      {0xC2, 0xDF, 1, 0x80, 0xBF}, {0xE0, 0xE0, 2, 0xA0, 0xBF}, {0xE1, 0xEC, 2, 0x80, 0xBF},
      {0xED, 0xED, 2, 0x80, 0x9F}, {0xEE, 0xEF, 2, 0x80, 0xBF}, {0xF0, 0xF0, 3, 0x90, 0xBF},
      {0xF1, 0xF3, 3, 0x80, 0xBF}, {0xF4, 0xF4, 3, 0x80, 0x8F},
  };
  for (const Lead& candidate : kLeads) {
    if (lead >= candidate.first && lead <= candidate.last) {
      pending_.assign(1, static_cast<char>(lead));
      missing_ = candidate.continuations;
      next_low_ = candidate.low;
      next_high_ = candidate.high;
      return true;
    }
  }
  return false;
}

void TerminalSafeFilter::AppendAscii(unsigned char byte, std::string& out) {
  const bool control = byte < 0x20 || byte == 0x7F;
  if (!control || (byte == '\n' && newlines_ == Newlines::kKeep)) {
    out += static_cast<char>(byte);
  } else {
    out += kReplacementCharacter;
  }
}

std::string TerminalSafeField(absl::string_view text) {
  std::string safe;
  safe.reserve(text.size());
  TerminalSafeFilter filter(TerminalSafeFilter::Newlines::kReplace);
  filter.Append(text, safe);
  filter.Finish(safe);
  return safe;
}

size_t DisplayWidth(absl::string_view safe_text) {
  return static_cast<size_t>(std::count_if(safe_text.begin(), safe_text.end(), [](char c) {
    return !IsContinuationByte(static_cast<unsigned char>(c));
  }));
}

}  // namespace licensectl
