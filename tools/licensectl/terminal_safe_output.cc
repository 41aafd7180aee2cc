#include "licensectl/terminal_safe_output.h"

#include <streambuf>
#include <string>

#include "absl/strings/string_view.h"
#include "licensectl/terminal_safe_text.h"

namespace licensectl {

// Unbuffered: each write is filtered and handed on at once, so that
// flushing (a prompt, the live bar) means what it means on the destination.
// Only the bytes of a UTF-8 sequence cut between two writes wait.
class TerminalSafeOutput::FilteringBuffer : public std::streambuf {
 public:
  explicit FilteringBuffer(std::ostream& destination)
      : destination_(destination), filter_(TerminalSafeFilter::Newlines::kKeep) {}

  std::ostream& destination() const { return destination_; }

  void WriteUnfiltered(char c) { destination_.put(c); }

  void Finish() {
    std::string safe;
    filter_.Finish(safe);
    destination_ << safe;
    destination_.flush();
  }

 protected:
  std::streamsize xsputn(const char* text, std::streamsize count) override {
    std::string safe;
    filter_.Append(absl::string_view(text, static_cast<size_t>(count)), safe);
    destination_ << safe;
    return destination_ ? count : 0;
  }

  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    const char byte = traits_type::to_char_type(c);
    return xsputn(&byte, 1) == 1 ? c : traits_type::eof();
  }

  int sync() override { return destination_.flush() ? 0 : -1; }

 private:
  std::ostream& destination_;
  TerminalSafeFilter filter_;
};

TerminalSafeOutput::TerminalSafeOutput(std::ostream& destination)
    : buffer_(std::make_unique<FilteringBuffer>(destination)), stream_(buffer_.get()) {}

TerminalSafeOutput::~TerminalSafeOutput() { buffer_->Finish(); }

void WriteCarriageReturn(std::ostream& out) {
  if (auto* filtering = dynamic_cast<TerminalSafeOutput::FilteringBuffer*>(out.rdbuf())) {
    filtering->WriteUnfiltered('\r');
  } else {
    out << '\r';
  }
}

const std::ostream& FinalDestination(const std::ostream& out) {
  if (const auto* filtering = dynamic_cast<const TerminalSafeOutput::FilteringBuffer*>(out.rdbuf())) {
    return filtering->destination();
  }
  return out;
}

}  // namespace licensectl
