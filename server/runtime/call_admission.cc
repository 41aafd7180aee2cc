#include "server/runtime/call_admission.h"

#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"

namespace lss {

CallAdmission::Ticket& CallAdmission::Ticket::operator=(Ticket&& other) noexcept {
  if (this != &other) {
    if (admission_ != nullptr) admission_->in_progress_.fetch_sub(1, std::memory_order_relaxed);
    admission_ = other.admission_;
    other.admission_ = nullptr;
  }
  return *this;
}

CallAdmission::Ticket::~Ticket() {
  if (admission_ != nullptr) admission_->in_progress_.fetch_sub(1, std::memory_order_relaxed);
}

absl::StatusOr<CallAdmission::Ticket> CallAdmission::AdmitCall() {
  if (absl::Status room = QueueRoom(); !room.ok()) return room;
  // Counted first, then checked: of many racing callers at the limit, none
  // gets past it, and a refused one gives its place back at once.
  if (in_progress_.fetch_add(1, std::memory_order_relaxed) >= limits_.max_calls_in_progress) {
    in_progress_.fetch_sub(1, std::memory_order_relaxed);
    return Overloaded(absl::StrCat(limits_.max_calls_in_progress, " calls are in progress, the most it takes"));
  }
  return Ticket(this);
}

absl::Status CallAdmission::AdmitStream() const { return QueueRoom(); }

absl::Status CallAdmission::QueueRoom() const {
  // Read without holding the pool's lock across the decision: the queue may
  // grow by the calls racing this one, a handful, never without bound.
  if (pool_.Queued() < limits_.max_queued_tasks) return absl::OkStatus();
  return Overloaded(absl::StrCat("its work queue holds ", limits_.max_queued_tasks, " tasks, the most it takes"));
}

absl::Status CallAdmission::Overloaded(absl::string_view why) const {
  return WithRetryDelay(
      WithReason(absl::ResourceExhaustedError(absl::StrCat("the server is overloaded: ", why,
                                                           "; retry after the delay in RetryInfo")),
                 kReasonServerOverloaded),
      limits_.retry_after);
}

}  // namespace lss
