// ExitStatus: how a child process ended, decoded from waitpid()'s status so
// that tests can say EXPECT_EQ(process->Stop(), ExitStatus::Exited(0)) and
// read "killed by signal 9 (SIGKILL)" rather than "wait status 9" on failure.
#pragma once

#include <ostream>
#include <string>

namespace lss::harness {

// A plain value; copy it freely between threads.
class ExitStatus {
 public:
  static ExitStatus Exited(int code) { return ExitStatus(Kind::kExited, code); }
  static ExitStatus KilledBy(int signal_number) {
    return ExitStatus(Kind::kSignaled, signal_number);
  }
  // Decodes a status filled in by waitpid() for a process that terminated
  // (WIFEXITED or WIFSIGNALED; stop and continue reports are not exits).
  static ExitStatus FromWaitStatus(int wait_status);

  bool exited() const { return kind_ == Kind::kExited; }
  bool signaled() const { return kind_ == Kind::kSignaled; }
  // The exit code when exited(), the terminating signal when signaled().
  int exit_code() const { return exited() ? value_ : -1; }
  int signal() const { return signaled() ? value_ : 0; }

  // "exited with code 0", "killed by signal 15 (SIGTERM)".
  std::string ToString() const;

  friend bool operator==(const ExitStatus&, const ExitStatus&) = default;
  friend std::ostream& operator<<(std::ostream& os, const ExitStatus& status) {
    return os << status.ToString();
  }

 private:
  enum class Kind { kExited, kSignaled };
  ExitStatus(Kind kind, int value) : kind_(kind), value_(value) {}

  Kind kind_;
  int value_;
};

}  // namespace lss::harness
