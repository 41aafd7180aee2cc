// Bounds what callers can make the server hold, so that a flood is answered
// at once instead of queued without end (issue 15): a unary call is admitted
// only while fewer than `max_calls_in_progress` are admitted and not yet
// finished, and any call only while the worker pool has fewer than
// `max_queued_tasks` tasks waiting. A refusal is RESOURCE_EXHAUSTED with
// reason SERVER_OVERLOADED and a google.rpc.RetryInfo telling the caller
// when to come back (AIP-194).
//
// Streams are not counted in calls in progress: a watcher lives as long as
// its job, and watchers have their own caps (server/jobs/progress_hub.h).
// Their first step still waits in the pool's queue, so they see its bound.
//
// Thread-safe; Admit*() take no lock (an atomic count and the pool's size).
#pragma once

#include <atomic>
#include <cstddef>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/runtime/worker_pool.h"

namespace lss {

inline constexpr absl::string_view kReasonServerOverloaded = "SERVER_OVERLOADED";

struct AdmissionLimits {
  int max_calls_in_progress = 2048;
  size_t max_queued_tasks = 512;
  // What RetryInfo asks refused callers to wait.
  absl::Duration retry_after = absl::Milliseconds(100);
};

class CallAdmission {
 public:
  // A unary call's place among the calls in progress, given back when the
  // ticket is destroyed (when gRPC is done with the call). Move-only.
  class Ticket {
   public:
    Ticket(Ticket&& other) noexcept : admission_(other.admission_) { other.admission_ = nullptr; }
    Ticket& operator=(Ticket&& other) noexcept;
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    ~Ticket();

   private:
    friend class CallAdmission;
    explicit Ticket(CallAdmission* admission) : admission_(admission) {}
    CallAdmission* admission_;
  };

  // `pool` must outlive this object, and this object every Ticket.
  CallAdmission(const WorkerPool& pool, AdmissionLimits limits) : pool_(pool), limits_(limits) {}

  // A unary call: refused when the pool's queue is full or as many calls as
  // allowed are in progress.
  absl::StatusOr<Ticket> AdmitCall();
  // A stream's first step: refused when the pool's queue is full.
  absl::Status AdmitStream() const;

  int InProgress() const { return in_progress_.load(std::memory_order_relaxed); }
  const AdmissionLimits& limits() const { return limits_; }

 private:
  absl::Status QueueRoom() const;
  absl::Status Overloaded(absl::string_view why) const;

  const WorkerPool& pool_;
  const AdmissionLimits limits_;
  std::atomic<int> in_progress_{0};
};

}  // namespace lss
