#include "tests/reliability/call_tally.h"

#include "absl/strings/str_cat.h"
#include "tests/reliability/rpc_calls.h"

namespace lss::reliability {

void CallTally::Count(const std::string& method, const grpc::Status& status) {
  Outcome outcome{method, CodeName(status.error_code()), status.ok() ? "" : ReasonOf(status)};
  absl::MutexLock lock(&mu_);
  ++outcomes_[outcome];
  if (!status.ok()) examples_.emplace(outcome, status.error_message());
}

std::string CallTally::ExampleMessage(const Outcome& outcome) const {
  absl::MutexLock lock(&mu_);
  auto it = examples_.find(outcome);
  return it == examples_.end() ? "" : it->second;
}

std::map<CallTally::Outcome, int64_t> CallTally::outcomes() const {
  absl::MutexLock lock(&mu_);
  return outcomes_;
}

int64_t CallTally::calls() const {
  absl::MutexLock lock(&mu_);
  int64_t total = 0;
  for (const auto& [outcome, count] : outcomes_) total += count;
  return total;
}

std::map<std::string, int64_t> CallTally::CallsByMethod() const {
  absl::MutexLock lock(&mu_);
  std::map<std::string, int64_t> by_method;
  for (const auto& [outcome, count] : outcomes_) by_method[outcome.method] += count;
  return by_method;
}

std::map<std::string, int64_t> CallTally::ErrorsByCodeAndReason() const {
  absl::MutexLock lock(&mu_);
  std::map<std::string, int64_t> errors;
  for (const auto& [outcome, count] : outcomes_) {
    if (outcome.code != "OK") errors[absl::StrCat(outcome.code, " ", outcome.reason)] += count;
  }
  return errors;
}

}  // namespace lss::reliability
