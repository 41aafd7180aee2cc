// Calls made and how they ended, by method, code and ErrorInfo reason: the
// mixed load's account of itself, and the evidence that the only errors
// were the allowed ones. Thread-safe: every client thread counts into one.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include <grpcpp/grpcpp.h>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace lss::reliability {

class CallTally {
 public:
  struct Outcome {
    std::string method;
    std::string code;    // "OK", "ABORTED", ...
    std::string reason;  // empty for OK
    bool operator<(const Outcome& o) const {
      return std::tie(method, code, reason) < std::tie(o.method, o.code, o.reason);
    }
  };

  void Count(const std::string& method, const grpc::Status& status);

  std::map<Outcome, int64_t> outcomes() const;
  // The first error message seen for each failed outcome.
  std::string ExampleMessage(const Outcome& outcome) const;
  int64_t calls() const;
  std::map<std::string, int64_t> CallsByMethod() const;
  // Failed calls by "CODE REASON".
  std::map<std::string, int64_t> ErrorsByCodeAndReason() const;

 private:
  mutable absl::Mutex mu_;
  std::map<Outcome, int64_t> outcomes_ ABSL_GUARDED_BY(mu_);
  std::map<Outcome, std::string> examples_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lss::reliability
