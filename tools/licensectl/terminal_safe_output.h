// licensectl's standard output and standard error as they leave the
// process: the one place where everything licensectl prints passes, so the
// one place where what could drive a terminal is taken out
// (terminal_safe_text.h), whichever command printed it and whatever it
// embedded: a server's message, KA's value, an operator's own argument
// quoted back in an error. licensectl's own newlines pass; every other
// control is replaced, '\r' included, since a '\r' in a server's message
// could overwrite the verdict on its line. The live progress bar's '\r',
// the one control licensectl writes on purpose, goes around the filter
// through WriteCarriageReturn.
//
// The server's strings arrive made safe already (terminal_safe_responses.h)
// and text laid out in columns (text_table.h, field_list.h) is made safe
// before widths are measured, so what passes here is mostly unchanged; this
// is the guarantee for the rest (an operator's argument quoted back, a
// string in a --json run's notice on stderr).
#pragma once

#include <memory>
#include <ostream>

namespace licensectl {

// A stream that writes to `destination` through the filter. Flushing it
// flushes `destination`; destroying it flushes too, replacing a UTF-8
// sequence left incomplete. Used from one thread, as the stream it wraps.
class TerminalSafeOutput {
 public:
  explicit TerminalSafeOutput(std::ostream& destination);
  ~TerminalSafeOutput();
  TerminalSafeOutput(const TerminalSafeOutput&) = delete;
  TerminalSafeOutput& operator=(const TerminalSafeOutput&) = delete;

  std::ostream& stream() { return stream_; }

 private:
  class FilteringBuffer;
  // They look through the stream to its FilteringBuffer.
  friend void WriteCarriageReturn(std::ostream& out);
  friend const std::ostream& FinalDestination(const std::ostream& out);

  std::unique_ptr<FilteringBuffer> buffer_;
  std::ostream stream_;
};

// Writes '\r' to `out`: around the filter when `out` is a
// TerminalSafeOutput's stream, as is to any other stream.
void WriteCarriageReturn(std::ostream& out);

// Where `out` finally writes: the destination of a TerminalSafeOutput's
// stream, otherwise `out` itself. Whether output goes to a terminal is a
// question about that stream (terminal.h).
const std::ostream& FinalDestination(const std::ostream& out);

}  // namespace licensectl
