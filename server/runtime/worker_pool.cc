#include "server/runtime/worker_pool.h"

#include <string>
#include <utility>

#include "common/request_context.h"

namespace lss {

WorkerPool::WorkerPool(int threads) {
  threads_.reserve(static_cast<size_t>(threads));
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
}

WorkerPool::~WorkerPool() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& t : threads_) t.join();
}

void WorkerPool::Run(absl::AnyInvocable<void() &&> task) {
  // The task runs for the request it was submitted for (common/request_context.h).
  if (const std::string& request_id = RequestContext::Current(); !request_id.empty()) {
    task = [request_id, task = std::move(task)]() mutable {
      RequestContext::Scope scope(std::move(request_id));
      std::move(task)();
    };
  }
  absl::MutexLock lock(&mu_);
  tasks_.push_back(std::move(task));
}

size_t WorkerPool::Queued() const {
  absl::MutexLock lock(&mu_);
  return tasks_.size();
}

bool WorkerPool::HasWorkOrStopping() const { return stopping_ || !tasks_.empty(); }

void WorkerPool::Loop() {
  while (true) {
    absl::AnyInvocable<void() &&> task;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &WorkerPool::HasWorkOrStopping));
      if (tasks_.empty()) return;  // stopping, and everything submitted has run
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    std::move(task)();
  }
}

}  // namespace lss
