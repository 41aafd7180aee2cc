// A fixed set of threads that run blocking work (database calls) off gRPC's
// reactor threads: reactions never block, so handlers hand SOCI calls to this
// pool, which finishes the reactor (CONVENTIONS.md, "gRPC").
//
// Run() always queues: it carries work already admitted (a call's next step
// after KA answered, an audit event), which must not be dropped. New work
// from callers is bounded before it gets here, by CallAdmission
// (server/runtime/call_admission.h), which reads Queued().
//
// A task runs with the request id that was current when it was submitted
// (common/request_context.h), so that KA calls it makes carry it.
//
// Thread-safe. Tasks run in submission order across the threads. Destruction
// runs every task already submitted, then joins the threads.
#pragma once

#include <deque>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace lss {

class WorkerPool {
 public:
  explicit WorkerPool(int threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Run(absl::AnyInvocable<void() &&> task);

  // Tasks waiting for a thread (not those running).
  size_t Queued() const;

 private:
  void Loop();
  bool HasWorkOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::deque<absl::AnyInvocable<void() &&>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace lss
